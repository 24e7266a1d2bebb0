package br.gov.sp.prefeitura.lum.keycloak.mapeador;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the OpenID Connect for Identity Assurance 1.0 {@code verified_claims} object from the evidence summary and
 * the level (pure; no Keycloak types):
 * <pre>{"verification": {"trust_framework": "...", "assurance_level": "3", "time": "&lt;latest evidence&gt;",
 *    "evidence": [...]}, "claims": {"cpf": "...", "name": "..."}}</pre>
 * Each evidence type of the API becomes an OIDC4IDA evidence: the steward's in-person check of a document
 * ({@code vinculo-confirmado-gestor}) a {@code document} checked {@code vpip} (physical in person), the knowledge
 * check ({@code conhecimento}) an {@code electronic_record} (the master record) checked {@code kbq} (knowledge-based
 * questions), a Gov.br link ({@code govbr}) an {@code electronic_record} checked {@code auth}; any other type an
 * {@code electronic_record} checked {@code data} with the type as {@code record.type}.
 */
public final class VerifiedClaims {

    public static final String CLAIM = "verified_claims";

    private VerifiedClaims() {}

    /** Empty when the level is not 1–5 or the summary is not about {@code cpfDoUsuario} (the account's own CPF). */
    public static Optional<Map<String, Object>> montar(Lastro lastro, String nivel, String cpfDoUsuario, String trustFramework) {
        if (nivel == null || !nivel.matches("^[1-5]$")) return Optional.empty();
        if (cpfDoUsuario == null || !cpfDoUsuario.equals(lastro.cpf())) return Optional.empty();
        List<Map<String, Object>> evidencias = new ArrayList<>();
        String ultima = null;
        for (Lastro.Evidencia e : lastro.evidencias()) {
            evidencias.add(evidencia(e));
            if (ultima == null || e.verificadoEm().compareTo(ultima) > 0) ultima = e.verificadoEm();
        }
        Map<String, Object> verificacao = new LinkedHashMap<>();
        verificacao.put("trust_framework", trustFramework);
        verificacao.put("assurance_level", nivel);
        verificacao.put("time", ultima);
        verificacao.put("evidence", evidencias);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("cpf", lastro.cpf());
        claims.put("name", lastro.nome());
        Map<String, Object> resultado = new LinkedHashMap<>();
        resultado.put("verification", verificacao);
        resultado.put("claims", claims);
        return Optional.of(resultado);
    }

    private static Map<String, Object> evidencia(Lastro.Evidencia e) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (e.tipo()) {
            case "vinculo-confirmado-gestor" -> {
                m.put("type", "document");
                m.put("check_details", List.of(Map.of("check_method", "vpip")));
                m.put("time", e.verificadoEm());
                if (e.detalhe() != null) m.put("document_details", Map.of("type", e.detalhe()));
            }
            case "conhecimento" -> registro(m, "kbq", "cadastro-base-pessoas", e);
            case "govbr" -> registro(m, "auth", "govbr", e);
            default -> registro(m, "data", e.tipo(), e);
        }
        return m;
    }

    private static void registro(Map<String, Object> m, String metodo, String tipoRegistro, Lastro.Evidencia e) {
        m.put("type", "electronic_record");
        m.put("check_details", List.of(Map.of("check_method", metodo)));
        m.put("time", e.verificadoEm());
        m.put("record", Map.of("type", tipoRegistro));
    }
}
