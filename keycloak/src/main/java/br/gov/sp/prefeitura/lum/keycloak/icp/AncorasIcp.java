package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * The trusted ICP-Brasil certificates: a PEM bundle file (roots, and the intermediate ACs a proxy does not pass),
 * named by {@code LUM_ICP_ANCORAS}. Read again whenever the file's modification time or size changes, so the
 * bundle can be updated (a new AC, a test's freshly generated CA) without restarting Keycloak. A missing or
 * unreadable file gives an empty list: every certificate is then untrusted.
 */
final class AncorasIcp {

    private static final Logger LOG = Logger.getLogger(AncorasIcp.class);

    private record Lidas(long modificado, long tamanho, List<X509Certificate> certificados) {
    }

    private final Path arquivo;
    private volatile Lidas lidas = new Lidas(-1, -1, List.of());

    AncorasIcp(Path arquivo) {
        this.arquivo = arquivo;
    }

    List<X509Certificate> certificados() {
        if (arquivo == null) {
            return List.of();
        }
        try {
            long modificado = Files.getLastModifiedTime(arquivo).toMillis();
            long tamanho = Files.size(arquivo);
            Lidas atual = lidas;
            if (atual.modificado() == modificado && atual.tamanho() == tamanho) {
                return atual.certificados();
            }
            List<X509Certificate> lista = new ArrayList<>();
            try (InputStream in = Files.newInputStream(arquivo)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    lista.add((X509Certificate) c);
                }
            }
            lidas = new Lidas(modificado, tamanho, List.copyOf(lista));
            LOG.infof("lum-certificado-icp: %d trusted certificate(s) read from %s", lista.size(), arquivo);
            return lidas.certificados();
        } catch (IOException | CertificateException e) {
            LOG.warnf("lum-certificado-icp: trusted bundle %s unreadable (%s): every certificate is untrusted", arquivo,
                    e.getClass().getSimpleName());
            return List.of();
        }
    }
}
