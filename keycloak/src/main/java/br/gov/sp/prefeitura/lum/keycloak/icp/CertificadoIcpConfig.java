package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.Function;

/**
 * Server configuration of the certificate sign-in, from the process environment (deployment facts, not realm data):
 * {@code LUM_ICP_ANCORAS} (path of the PEM bundle of trusted ICP-Brasil certificates) and
 * {@code LUM_ICP_PROXY_SEGREDO} (the secret the TLS-terminating proxy sends in {@code X-LUM-Proxy-Segredo}).
 * Without both, certificate sign-in is off: the authenticator always steps aside.
 */
record CertificadoIcpConfig(Path ancoras, byte[] segredo) {

    static CertificadoIcpConfig doAmbiente(Function<String, String> env) {
        String a = env.apply("LUM_ICP_ANCORAS");
        String s = env.apply("LUM_ICP_PROXY_SEGREDO");
        return new CertificadoIcpConfig(a == null || a.isBlank() ? null : Path.of(a),
                s == null || s.isBlank() ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    boolean ativo() {
        return ancoras != null && segredo != null;
    }

    /** Constant-time comparison with the configured secret. */
    boolean segredoConfere(String recebido) {
        return segredo != null && recebido != null
                && MessageDigest.isEqual(segredo, recebido.getBytes(StandardCharsets.UTF_8));
    }
}
