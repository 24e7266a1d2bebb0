package br.gov.sp.prefeitura.lum.keycloak.eventos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class HmacSignerTest {

    @Test
    void givenRfc4231TestCase2_whenHmacHex_thenMatchesPublishedDigest() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new HmacSigner("Jefe").hmacHex("what do ya want for nothing?"));
    }

    @Test
    void givenTimestampAndBody_whenSign_thenMatchesVectorComputedWithOpenssl() {
        // printf '%s' '1763900000.{"id":"abc"}' | openssl dgst -sha256 -hmac 'dev-events-secret'
        assertEquals("9b062d77d87dfa0ba00bf9ce189e778c00811d1d9faf0efa5a3c795e3842a00d",
                new HmacSigner("dev-events-secret").sign("1763900000", "{\"id\":\"abc\"}"));
    }

    @Test
    void givenUtf8Body_whenSign_thenEqualsIndependentJavaxCryptoComputation() throws Exception {
        String secret = "s3gr3d0-ção";
        String timestamp = "1763900123";
        String body = "{\"user\":{\"firstName\":\"João\",\"lastName\":\"Conceição\"}}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(
                mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));

        assertEquals(expected, new HmacSigner(secret).sign(timestamp, body));
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
