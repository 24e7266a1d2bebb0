package br.gov.sp.prefeitura.lum.keycloak.sincronia;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user attributes the master-data API owns (default {@code nivel_confianca}, {@code lastro} and {@code dados_complementares}), and the validation of a write
 * request against them. Pure: no Keycloak types, unit-tested.
 *
 * <p>A request body is {@code {"atributos": {"<name>": "<value>" | null, ...}, "habilitado": true|false (optional)}}.
 * Only owned names are accepted; a null value removes the attribute; values are at most 2048 characters.
 */
public final class AtributosProprios {

    public static final String PADRAO = "nivel_confianca,lastro,dados_complementares";
    static final int MAX_VALOR = 2048;

    private final Set<String> nomes;

    public AtributosProprios(String lista) {
        Set<String> s = new LinkedHashSet<>();
        for (String n : (lista == null || lista.isBlank() ? PADRAO : lista).split(",")) {
            if (!n.isBlank()) {
                s.add(n.trim());
            }
        }
        this.nomes = Set.copyOf(s);
    }

    public Set<String> nomes() {
        return nomes;
    }

    /** A validated request: the attributes to set (null = remove) and the optional enabled flag. */
    public record Pedido(Map<String, String> atributos, Boolean habilitado) {
    }

    /** Validates a parsed JSON body; throws IllegalArgumentException with a pt-BR message naming the problem. */
    public Pedido validar(Object corpo) {
        if (!(corpo instanceof Map<?, ?> mapa)) {
            throw new IllegalArgumentException("Corpo deve ser um objeto JSON");
        }
        List<String> desconhecidos = new ArrayList<>();
        for (Object k : mapa.keySet()) {
            if (!"atributos".equals(k) && !"habilitado".equals(k)) {
                desconhecidos.add(String.valueOf(k));
            }
        }
        if (!desconhecidos.isEmpty()) {
            throw new IllegalArgumentException("Campos desconhecidos: " + String.join(", ", desconhecidos));
        }
        Object atributos = mapa.get("atributos");
        if (!(atributos instanceof Map<?, ?> attrs)) {
            throw new IllegalArgumentException("atributos deve ser um objeto");
        }
        Map<String, String> saida = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : attrs.entrySet()) {
            String nome = String.valueOf(e.getKey());
            if (!nomes.contains(nome)) {
                throw new IllegalArgumentException("Atributo não pertence à API de cadastro: " + nome
                        + " (permitidos: " + String.join(", ", nomes.stream().sorted().toList()) + ")");
            }
            Object v = e.getValue();
            if (v != null && !(v instanceof String)) {
                throw new IllegalArgumentException("Valor de " + nome + " deve ser texto ou null");
            }
            if (v != null && ((String) v).length() > MAX_VALOR) {
                throw new IllegalArgumentException("Valor de " + nome + " excede " + MAX_VALOR + " caracteres");
            }
            saida.put(nome, (String) v);
        }
        Object habilitado = mapa.get("habilitado");
        if (habilitado != null && !(habilitado instanceof Boolean)) {
            throw new IllegalArgumentException("habilitado deve ser true ou false");
        }
        return new Pedido(saida, (Boolean) habilitado);
    }

    @Override
    public String toString() {
        return Arrays.toString(nomes.stream().sorted().toArray());
    }
}
