package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.Objects;

/**
 * One event ready to be delivered: its id (reused by every retry, so the API can detect replays), its type (for
 * logs only) and the exact JSON body that will be signed and sent.
 *
 * <p>{@link #toString()} deliberately omits the body: it carries personal data (CPF, e-mail) that must not reach
 * the logs.
 */
public record Delivery(String eventId, String eventType, String body) {

    public Delivery {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "Delivery[eventId=" + eventId + ", type=" + eventType + ", bodyLength=" + body.length() + "]";
    }
}
