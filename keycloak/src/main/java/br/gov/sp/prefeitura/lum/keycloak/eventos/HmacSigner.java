package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signer for the Keycloak → API event webhook.
 *
 * <p>The signature covers {@code timestamp + "." + rawBody} and is rendered as lowercase hex; the header value is
 * {@code v1=<hex>} (see docs/contracts.md). Thread-safe: a new {@link Mac} is created per call.
 */
public final class HmacSigner {

    static final String ALGORITHM = "HmacSHA256";
    public static final String VERSION_PREFIX = "v1=";

    private final SecretKeySpec key;

    public HmacSigner(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** Lowercase hex HMAC-SHA256 of {@code timestamp + "." + body}. */
    public String sign(String timestamp, String body) {
        return hmacHex(timestamp + "." + body);
    }

    /** Value for the {@code X-LUM-Signature} header: {@code v1=<hex>}. */
    public String signatureHeader(String timestamp, String body) {
        return VERSION_PREFIX + sign(timestamp, body);
    }

    /** Lowercase hex HMAC-SHA256 of arbitrary UTF-8 data. */
    public String hmacHex(String data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return toHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every JRE; this cannot happen on a conforming runtime.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static String toHex(byte[] bytes) {
        char[] digits = "0123456789abcdef".toCharArray();
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            int v = bytes[i] & 0xff;
            out[2 * i] = digits[v >>> 4];
            out[2 * i + 1] = digits[v & 0x0f];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "HmacSigner[" + ALGORITHM + ", secret=***]";
    }
}
