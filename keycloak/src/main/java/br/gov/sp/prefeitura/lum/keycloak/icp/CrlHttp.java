package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

/**
 * CRLs fetched over HTTP from the distribution points, kept in memory until the earlier of their {@code nextUpdate}
 * and {@link #MAXIMO_CACHE} (ICP-Brasil CRLs can be megabytes; one fetch per CRL and period, not per sign-in).
 * A CRL past its {@code nextUpdate} is fetched again; one that cannot be fetched gives null (the validator then
 * refuses the certificate: revocation status unknown).
 */
final class CrlHttp implements ValidadorCadeia.FonteCrl {

    private static final Logger LOG = Logger.getLogger(CrlHttp.class);
    static final Duration MAXIMO_CACHE = Duration.ofHours(1);
    static final int TAMANHO_MAXIMO = 32 * 1024 * 1024;

    private record Guardada(X509CRL crl, long ate) {
    }

    private final HttpClient http;
    private final Clock relogio;
    private final Duration timeout;
    private final Map<String, Guardada> cache = new ConcurrentHashMap<>();

    CrlHttp(Clock relogio, Duration timeout) {
        this.relogio = relogio;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public X509CRL obter(String url) {
        long agora = relogio.millis();
        Guardada g = cache.get(url);
        if (g != null && agora < g.ate()) {
            return g.crl();
        }
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] corpo;
            try (InputStream in = r.body()) {
                corpo = in.readNBytes(TAMANHO_MAXIMO + 1);
            }
            if (r.statusCode() != 200 || corpo.length > TAMANHO_MAXIMO) {
                LOG.warnf("lum-certificado-icp: CRL %s: HTTP %d, %d bytes", url, r.statusCode(), corpo.length);
                return null;
            }
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(corpo));
            long ate = agora + MAXIMO_CACHE.toMillis();
            if (crl.getNextUpdate() != null) {
                ate = Math.min(ate, crl.getNextUpdate().getTime());
            }
            cache.put(url, new Guardada(crl, ate));
            return crl;
        } catch (IOException | java.security.cert.CRLException | java.security.cert.CertificateException | IllegalArgumentException e) {
            LOG.warnf("lum-certificado-icp: CRL %s could not be read (%s)", url, e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
