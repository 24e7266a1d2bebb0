package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an account meets a {@link Requisito}: its {@code nivel_confianca} attribute (written by the API's sync
 * worker; absent or malformed = 1) and its {@code dados_complementares} attribute (comma-separated names of the
 * complementary data the Cadastro Base holds verified for it, e.g. {@code cns}). Pure, unit-tested.
 */
public record Avaliacao(boolean atende, int nivelDaConta, List<String> dadosQueFaltam) {

    public static final String ATRIBUTO_NIVEL_CONTA = "nivel_confianca";
    public static final String ATRIBUTO_DADOS_CONTA = "dados_complementares";

    public static Avaliacao avaliar(Requisito r, String nivelConta, String dadosConta) {
        int nivel = nivelConta != null && nivelConta.trim().matches("[1-5]") ? Integer.parseInt(nivelConta.trim()) : 1;
        Set<String> tem = new TreeSet<>();
        if (dadosConta != null) {
            for (String d : dadosConta.split(",")) {
                tem.add(d.trim());
            }
        }
        List<String> faltam = new ArrayList<>();
        for (String d : r.dados()) {
            if (!tem.contains(d)) {
                faltam.add(d);
            }
        }
        return new Avaliacao(nivel >= r.nivel() && faltam.isEmpty(), nivel, List.copyOf(faltam));
    }
}
