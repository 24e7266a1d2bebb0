package br.gov.sp.prefeitura.lum.keycloak.mapeador;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The evidence summary the API writes into the user attribute {@code lastro} (format v1, built by
 * {@code resumoDoLastro()} in api/src/confianca/lastro.ts; shared vector test/vetores/lastro.json):
 * <pre>{"v":1,"cpf":"52998224725","nome":"Ana Lima","evidencias":[{"tipo":"conhecimento","verificadoEm":"2026-11-16T15:00:00.000Z","detalhe":"RG"}]}</pre>
 * {@code detalhe} is optional. Anything else — another version, a CPF that is not 11 digits, no name, no evidence, an
 * evidence without type or time — is not a summary: {@link #ler} gives empty and no claim is produced.
 */
public record Lastro(String cpf, String nome, List<Evidencia> evidencias) {

    public static final int VERSAO = 1;

    public record Evidencia(String tipo, String verificadoEm, String detalhe) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CPF = Pattern.compile("^[0-9]{11}$");
    private static final Pattern INSTANTE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$");

    public static Optional<Lastro> ler(String texto) {
        if (texto == null || texto.isBlank()) return Optional.empty();
        try {
            JsonNode raiz = JSON.readTree(texto);
            if (raiz == null || !raiz.isObject() || !raiz.path("v").isInt() || raiz.path("v").intValue() != VERSAO) return Optional.empty();
            String cpf = textoOuNulo(raiz.get("cpf"));
            String nome = textoOuNulo(raiz.get("nome"));
            if (cpf == null || !CPF.matcher(cpf).matches() || nome == null || nome.isBlank()) return Optional.empty();
            JsonNode lista = raiz.get("evidencias");
            if (lista == null || !lista.isArray() || lista.isEmpty()) return Optional.empty();
            List<Evidencia> evidencias = new ArrayList<>();
            for (JsonNode e : lista) {
                String tipo = textoOuNulo(e.get("tipo"));
                String em = textoOuNulo(e.get("verificadoEm"));
                if (tipo == null || tipo.isBlank() || em == null || !INSTANTE.matcher(em).matches()) return Optional.empty();
                evidencias.add(new Evidencia(tipo, em, textoOuNulo(e.get("detalhe"))));
            }
            return Optional.of(new Lastro(cpf, nome, List.copyOf(evidencias)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String textoOuNulo(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
