package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The signed, short-lived reference to a pending request that the authenticator hands to the Sala de Espera:
 * {@code base64url(payload JSON) "." base64url(HMAC-SHA256(key, base64url(payload JSON)))}, no padding. The key is
 * derived from the secret the event listener already shares with the API ({@code LUM_EVENTS_HMAC_SECRET}):
 * {@code key = HMAC-SHA256(secret, "lum-sala-espera-v1")}, so a signature of one kind is never valid as the other.
 * The API verifies it (api/src/sala-espera/referencia.ts); test/vetores/sala-referencia.json is the vector both
 * sides test against (computed with OpenSSL).
 *
 * <p>Payload, keys in this order: {@code v} (1), {@code sub} (Keycloak user id), {@code cpf} (username),
 * {@code cli} (client id), {@code nom} (client name shown to the citizen), {@code org} (organ that reviews),
 * {@code niv} (level required), {@code dad} (data required), {@code iat}, {@code exp} (epoch seconds), {@code jti}.
 */
public final class ReferenciaSala {

    static final String ROTULO_CHAVE = "lum-sala-espera-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] chave;

    public ReferenciaSala(String segredo) {
        if (segredo == null || segredo.isEmpty()) {
            throw new IllegalArgumentException("segredo vazio");
        }
        this.chave = hmac(segredo.getBytes(StandardCharsets.UTF_8), ROTULO_CHAVE);
    }

    public record Dados(String sub, String cpf, String cliente, String nomeCliente, String orgao, int nivel, List<String> dados,
                        long emitidaEm, long expiraEm, String jti) {
    }

    public String emitir(Dados d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", 1);
        o.put("sub", d.sub());
        o.put("cpf", d.cpf());
        o.put("cli", d.cliente());
        o.put("nom", d.nomeCliente());
        o.put("org", d.orgao());
        o.put("niv", d.nivel());
        ArrayNode dad = o.putArray("dad");
        d.dados().forEach(dad::add);
        o.put("iat", d.emitidaEm());
        o.put("exp", d.expiraEm());
        o.put("jti", d.jti());
        String corpo = b64(o.toString().getBytes(StandardCharsets.UTF_8));
        return corpo + "." + b64(hmac(chave, corpo));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] hmac(byte[] chave, String texto) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(chave, "HmacSHA256"));
            return mac.doFinal(texto.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 indisponível", e);
        }
    }
}
