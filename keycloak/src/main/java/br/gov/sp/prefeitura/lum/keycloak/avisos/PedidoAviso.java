package br.gov.sp.prefeitura.lum.keycloak.avisos;

import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /realms/{realm}/lum-avisos/usuarios/{id}/aviso}: exactly {@code {"motivo": "mensagem"|"pedido"}}.
 * The notice carries nothing else — no text, no name, no link chosen by the caller — so the caller can never make
 * Keycloak mail personal data or an arbitrary link.
 */
public record PedidoAviso(Motivo motivo) {

    /** Why the citizen is told; each has its own subject and body keys in the e-mail theme ({@code lumAviso<Motivo>*}). */
    public enum Motivo {
        MENSAGEM("mensagem", "lumAvisoMensagemSubject"),
        PEDIDO("pedido", "lumAvisoPedidoSubject");

        private final String nome;
        private final String chaveAssunto;

        Motivo(String nome, String chaveAssunto) {
            this.nome = nome;
            this.chaveAssunto = chaveAssunto;
        }

        public String nome() {
            return nome;
        }

        public String chaveAssunto() {
            return chaveAssunto;
        }
    }

    private static final Set<String> CAMPOS = Set.of("motivo");

    /** @throws IllegalArgumentException with a pt-BR message for anything but {@code {"motivo": "mensagem"|"pedido"}} */
    public static PedidoAviso validar(Map<String, Object> corpo) {
        if (corpo == null) {
            throw new IllegalArgumentException("O corpo deve ser um objeto JSON {\"motivo\": \"mensagem\" | \"pedido\"}");
        }
        for (String k : corpo.keySet()) {
            if (!CAMPOS.contains(k)) {
                throw new IllegalArgumentException("Campo não permitido: " + k);
            }
        }
        Object m = corpo.get("motivo");
        for (Motivo motivo : Motivo.values()) {
            if (motivo.nome().equals(m)) {
                return new PedidoAviso(motivo);
            }
        }
        throw new IllegalArgumentException("motivo deve ser mensagem ou pedido");
    }
}
