package br.gov.sp.prefeitura.lum.keycloak.sincronia;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TokenGovbrArmazenadoTest {

    @Test
    void readsTheIdTokenOfAStoredTokenAnswer() {
        String armazenado = "{\"access_token\":\"at\",\"expires_in\":60,\"id_token\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\","
                + "\"token_type\":\"Bearer\",\"scope\":\"openid\"}";
        assertEquals(Optional.of("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"), TokenGovbrArmazenado.idToken(armazenado));
    }

    @Test
    void nothingWhenThereIsNoStoredTokenOrNoIdToken() {
        assertEquals(Optional.empty(), TokenGovbrArmazenado.idToken(null));
        assertEquals(Optional.empty(), TokenGovbrArmazenado.idToken(""));
        assertEquals(Optional.empty(), TokenGovbrArmazenado.idToken("{\"access_token\":\"at\"}"));
        assertEquals(Optional.empty(), TokenGovbrArmazenado.idToken("{\"id_token\":42}"));
        assertEquals(Optional.empty(), TokenGovbrArmazenado.idToken("{\"id_token\":\"not-a-jwt\"}"));
        assertEquals(Optional.empty(), TokenGovbrArmazenado.idToken("[\"id_token\"]"));
        assertEquals(Optional.empty(), TokenGovbrArmazenado.idToken("{not json"));
    }
}
