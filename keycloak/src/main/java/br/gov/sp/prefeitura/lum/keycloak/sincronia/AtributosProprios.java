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
 * <p>A request body is {@code {"atributos": {"<name>": "<value>" | null, ...}, "habilitado": true|false (optional),
 * "perfil": {"firstName", "lastName"?, "email"?, "emailVerificado"?} (optional)}}.
 * Only owned names are accepted; a null value removes the attribute; values are at most 2048 characters.
 */
public final class AtributosProprios {

    public static final String PADRAO = "nivel_confianca,lastro,dados_complementares";
    static final int MAX_VALOR = 2048;
    /** Most users in one batch write ({@code POST …/usuarios/lote}). */
    public static final int MAX_LOTE = 200;

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

    /** A validated request: the attributes to set (null = remove), the optional enabled flag and profile. */
    public record Pedido(Map<String, String> atributos, Boolean habilitado, Perfil perfil) {
    }

    /**
     * A tied account's name and e-mail from its master record: first name always, last name, e-mail and its
     * verification flag when present (absent ones are left as they are).
     */
    public record Perfil(String firstName, String lastName, String email, Boolean emailVerificado) {
    }

    static final int MAX_PERFIL = 255;

    /** Validates a parsed JSON body; throws IllegalArgumentException with a pt-BR message naming the problem. */
    public Pedido validar(Object corpo) {
        if (!(corpo instanceof Map<?, ?> mapa)) {
            throw new IllegalArgumentException("Corpo deve ser um objeto JSON");
        }
        List<String> desconhecidos = new ArrayList<>();
        for (Object k : mapa.keySet()) {
            if (!"atributos".equals(k) && !"habilitado".equals(k) && !"perfil".equals(k)) {
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
        return new Pedido(saida, (Boolean) habilitado, perfil(mapa.get("perfil")));
    }

    private static Perfil perfil(Object bruto) {
        if (bruto == null) {
            return null;
        }
        if (!(bruto instanceof Map<?, ?> p)) {
            throw new IllegalArgumentException("perfil deve ser um objeto");
        }
        for (Object k : p.keySet()) {
            if (!List.of("firstName", "lastName", "email", "emailVerificado").contains(String.valueOf(k))) {
                throw new IllegalArgumentException("Campo desconhecido em perfil: " + k);
            }
        }
        String firstName = textoDoPerfil(p.get("firstName"), "firstName");
        if (firstName == null) {
            throw new IllegalArgumentException("perfil.firstName é obrigatório");
        }
        String email = textoDoPerfil(p.get("email"), "email");
        if (email != null && (!email.contains("@") || email.contains(" "))) {
            throw new IllegalArgumentException("perfil.email não é um endereço de e-mail");
        }
        Object verificado = p.get("emailVerificado");
        if (verificado != null && !(verificado instanceof Boolean)) {
            throw new IllegalArgumentException("perfil.emailVerificado deve ser true ou false");
        }
        return new Perfil(firstName, textoDoPerfil(p.get("lastName"), "lastName"), email, (Boolean) verificado);
    }

    private static String textoDoPerfil(Object v, String nome) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String t) || t.isBlank()) {
            throw new IllegalArgumentException("perfil." + nome + " deve ser texto não vazio");
        }
        if (t.length() > MAX_PERFIL) {
            throw new IllegalArgumentException("perfil." + nome + " excede " + MAX_PERFIL + " caracteres");
        }
        return t.trim();
    }

    /** One user's write in a batch: the user id and its validated request. */
    public record ItemLote(String id, Pedido pedido) {
    }

    /**
     * Validates a batch body {@code {"itens": [{"id": "<user id>", "atributos": {...}, "habilitado": ...}, ...]}}: 1 to
     * {@value #MAX_LOTE} items, each one a valid single request plus its id. The whole batch is refused on the first
     * invalid item (its position is named), so nothing of a bad batch is written.
     */
    public List<ItemLote> validarLote(Object corpo) {
        if (!(corpo instanceof Map<?, ?> mapa)) {
            throw new IllegalArgumentException("Corpo deve ser um objeto JSON");
        }
        for (Object k : mapa.keySet()) {
            if (!"itens".equals(k)) {
                throw new IllegalArgumentException("Campos desconhecidos: " + k);
            }
        }
        if (!(mapa.get("itens") instanceof List<?> itens) || itens.isEmpty()) {
            throw new IllegalArgumentException("itens deve ser uma lista não vazia");
        }
        if (itens.size() > MAX_LOTE) {
            throw new IllegalArgumentException("Lote com " + itens.size() + " itens excede o máximo de " + MAX_LOTE);
        }
        List<ItemLote> saida = new ArrayList<>(itens.size());
        for (int i = 0; i < itens.size(); i++) {
            if (!(itens.get(i) instanceof Map<?, ?> item)) {
                throw new IllegalArgumentException("itens[" + i + "]: deve ser um objeto");
            }
            Object id = item.get("id");
            if (!(id instanceof String texto) || texto.isBlank() || texto.length() > 64) {
                throw new IllegalArgumentException("itens[" + i + "]: id deve ser o identificador do usuário");
            }
            Map<Object, Object> resto = new LinkedHashMap<>(item);
            resto.remove("id");
            try {
                saida.add(new ItemLote(texto, validar(resto)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("itens[" + i + "]: " + e.getMessage(), e);
            }
        }
        return saida;
    }

    @Override
    public String toString() {
        return Arrays.toString(nomes.stream().sorted().toArray());
    }
}
