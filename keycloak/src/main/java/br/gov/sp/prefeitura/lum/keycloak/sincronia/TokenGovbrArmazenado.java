package br.gov.sp.prefeitura.lum.keycloak.sincronia;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.keycloak.util.JsonSerialization;

/**
 * The Gov.br id_token inside the token Keycloak stores on a user's {@code govbr} link ({@code storeToken: true} on
 * the identity provider): the OIDC broker stores Gov.br's token-endpoint answer as a JSON string; the id_token is its
 * {@code id_token} member. The API reads it when it recovers a gov.br first sign-in whose event the listener could not
 * deliver (the stored event carries no token), and verifies it against Gov.br's keys itself.
 */
final class TokenGovbrArmazenado {

    private TokenGovbrArmazenado() {
    }

    /** The id_token of a stored token answer; empty when there is none or the text is not such an answer. */
    static Optional<String> idToken(String tokenArmazenado) {
        if (tokenArmazenado == null || tokenArmazenado.isBlank()) {
            return Optional.empty();
        }
        Object lido;
        try {
            lido = JsonSerialization.readValue(tokenArmazenado, Object.class);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (!(lido instanceof Map<?, ?> mapa)) {
            return Optional.empty();
        }
        Object idToken = mapa.get("id_token");
        if (!(idToken instanceof String s) || s.isBlank() || s.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        return Optional.of(s);
    }
}
