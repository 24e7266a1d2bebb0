package br.gov.sp.prefeitura.lum.keycloak.eventos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

class HmacSignerTest {

    @Test
    void givenRfc4231TestCase2_whenHmacHex_thenMatchesPublishedDigest() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new HmacSigner("Jefe").hmacHex("what do ya want for nothing?"));
    }

    @Test
    void givenSharedVector_whenSign_thenMatchesDigestComputedWithOpenssl() {
        // test/vetores/hashes.json, also read by api/src/eventos-keycloak/assinatura.unit.test.ts: non-ASCII secret
        // and body, digest from `openssl dgst -sha256 -hmac` on the exact UTF-8 bytes.
        VetoresCompartilhados.EventoHmac v = VetoresCompartilhados.eventoHmac();
        assertEquals("v1=" + v.assinaturaHex(), v.cabecalho());
        assertEquals(v.assinaturaHex(), new HmacSigner(v.segredo()).sign(v.timestamp(), v.corpo()));
        assertEquals(v.cabecalho(), new HmacSigner(v.segredo()).signatureHeader(v.timestamp(), v.corpo()));
    }

    @Test
    void givenSignature_whenSignatureHeader_thenV1PrefixAndLowercaseHex() {
        String header = new HmacSigner("k").signatureHeader("1", "{}");
        assertTrue(header.startsWith("v1="));
        assertTrue(header.substring(3).matches("[0-9a-f]{64}"), header);
    }

    @Test
    void givenEmptySecret_whenConstructed_thenRejected() {
        assertThrows(IllegalArgumentException.class, () -> new HmacSigner(""));
    }

    @Test
    void givenSigner_whenToString_thenSecretNotExposed() {
        assertFalse(new HmacSigner("super-secret-value").toString().contains("super-secret-value"));
    }
}
