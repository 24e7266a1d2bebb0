package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a sign-in to one client requires of the account: a minimum confidence level and complementary data (e.g. the
 * Número SUS). Pure: no Keycloak types, unit-tested.
 *
 * <p>The client's minimum comes from its attributes in the realm file ({@code lum.sala.nivel-minimo},
 * {@code lum.sala.dados}, {@code lum.sala.orgao}); one request may ask for more — {@code acr_values} naming
 * {@code urn:lum:nivel:N}, or the {@code claims} parameter with an essential {@code nivel_confianca} — and never for
 * less: the level required is the highest of the client's minimum and what the request asked.
 */
public record Requisito(int nivel, SortedSet<String> dados, String orgao) {

    public static final String ATRIBUTO_NIVEL = "lum.sala.nivel-minimo";
    public static final String ATRIBUTO_DADOS = "lum.sala.dados";
    public static final String ATRIBUTO_ORGAO = "lum.sala.orgao";
    /** The complementary data a client may require (check digits validated by the API). */
    public static final Set<String> DADOS_CONHECIDOS = Set.of("cns", "nis");
    /** acr value of a level asked for on one request. */
    static final Pattern ACR_NIVEL = Pattern.compile("^urn:lum:nivel:([1-5])$");
    static final String ORGAO_PADRAO = "cadastro";

    private static final ObjectMapper JSON = new ObjectMapper();

    public Requisito {
        if (nivel < 1 || nivel > 5) {
            throw new IllegalArgumentException("nível fora de 1..5: " + nivel);
        }
        dados = Collections.unmodifiableSortedSet(new TreeSet<>(dados));
    }

    /**
     * The client's own requirement from its attributes ({@code attr} = {@code ClientModel::getAttribute}). A missing or
     * malformed level means 1 (the static realm check refuses a malformed one before it reaches the server); unknown
     * data names are ignored for the same reason.
     */
    public static Requisito doCliente(Function<String, String> attr) {
        int nivel = 1;
        String n = attr.apply(ATRIBUTO_NIVEL);
        if (n != null && n.trim().matches("[1-5]")) {
            nivel = Integer.parseInt(n.trim());
        }
        SortedSet<String> dados = new TreeSet<>();
        String d = attr.apply(ATRIBUTO_DADOS);
        if (d != null) {
            for (String x : d.split(",")) {
                String nome = x.trim();
                if (DADOS_CONHECIDOS.contains(nome)) {
                    dados.add(nome);
                }
            }
        }
        String o = attr.apply(ATRIBUTO_ORGAO);
        return new Requisito(nivel, dados, o == null || o.isBlank() ? ORGAO_PADRAO : o.trim());
    }

    /** This requirement raised by what one request asked (raw {@code acr_values} and {@code claims} notes). */
    public Requisito comPedido(String acrValues, String claims) {
        int pedido = Math.max(nivelDoAcr(acrValues), nivelDosClaims(claims));
        return pedido > nivel ? new Requisito(pedido, dados, orgao) : this;
    }

    /**
     * The level named by {@code acr_values} (space-separated, in order of preference): the LOWEST of the values that
     * name a level, since the relying party accepts any of them; 0 when none does.
     */
    static int nivelDoAcr(String acrValues) {
        if (acrValues == null) {
            return 0;
        }
        int menor = 0;
        for (String v : acrValues.trim().split("\\s+")) {
            Matcher m = ACR_NIVEL.matcher(v);
            if (m.matches()) {
                int n = Integer.parseInt(m.group(1));
                menor = menor == 0 ? n : Math.min(menor, n);
            }
        }
        return menor;
    }

    /**
     * The level of an essential {@code nivel_confianca} in the {@code claims} parameter (id_token or userinfo member):
     * {@code value}, or the lowest of {@code values}; 0 when absent, not essential or unreadable.
     */
    static int nivelDosClaims(String claims) {
        if (claims == null || claims.isBlank()) {
            return 0;
        }
        JsonNode raiz;
        try {
            raiz = JSON.readTree(claims);
        } catch (Exception e) {
            return 0;
        }
        int maior = 0;
        for (String membro : List.of("id_token", "userinfo")) {
            JsonNode pedido = raiz.path(membro).path("nivel_confianca");
            if (!pedido.path("essential").asBoolean(false)) {
                continue;
            }
            int n = nivelDeValor(pedido.get("value"));
            JsonNode valores = pedido.get("values");
            if (valores != null && valores.isArray()) {
                int menor = 0;
                for (Iterator<JsonNode> it = valores.elements(); it.hasNext();) {
                    int x = nivelDeValor(it.next());
                    if (x > 0) {
                        menor = menor == 0 ? x : Math.min(menor, x);
                    }
                }
                n = Math.max(n, menor);
            }
            maior = Math.max(maior, n);
        }
        return maior;
    }

    private static int nivelDeValor(JsonNode v) {
        if (v == null) {
            return 0;
        }
        String s = v.isNumber() ? String.valueOf(v.asInt()) : v.asText("");
        return s.matches("[1-5]") ? Integer.parseInt(s) : 0;
    }
}
