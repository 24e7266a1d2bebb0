package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Validates a client certificate with the JDK's PKIX: a path to one of the trusted ICP-Brasil roots, validity at a
 * given instant, and revocation by the CRLs named in each certificate of the path (CRL distribution points).
 * No soft-fail: a certificate whose revocation status cannot be established is refused.
 *
 * <p>Order, so the citizen gets the most useful reason: first whether the certificate chains to a trusted root at all
 * (signatures and names only, whatever the dates, so an expired certificate from an unknown issuer is "untrusted"),
 * then validity now of every certificate of the path, then the JDK's PKIX validation of that path (constraints, key
 * usage) with revocation by CRL only.
 */
public final class ValidadorCadeia {

    private static final Logger LOG = Logger.getLogger(ValidadorCadeia.class);

    /** Outcome; each refusal has its pt-BR message (see {@link Recusa}). */
    public enum Resultado { VALIDO, NAO_CONFIAVEL, EXPIRADO, REVOGADO, REVOGACAO_INDETERMINADA }

    /** Where CRLs come from (HTTP in the server, a map in tests). Returns null when the CRL cannot be had. */
    @FunctionalInterface
    public interface FonteCrl {
        X509CRL obter(String url);
    }

    private static final int PROFUNDIDADE_MAXIMA = 8;
    private final FonteCrl fonteCrl;

    public ValidadorCadeia(FonteCrl fonteCrl) {
        this.fonteCrl = fonteCrl;
    }

    /**
     * @param cadeia     the client's certificate first, then whatever chain the proxy passed (may be just the leaf)
     * @param confiaveis the trusted bundle: self-signed roots become trust anchors, the others are intermediates
     * @param agora      the instant of the check
     */
    public Resultado validar(X509Certificate[] cadeia, List<X509Certificate> confiaveis, Date agora) {
        X509Certificate folha = cadeia[0];
        List<X509Certificate> raizes = new ArrayList<>();
        List<X509Certificate> intermediarios = new ArrayList<>(Arrays.asList(cadeia).subList(1, cadeia.length));
        for (X509Certificate c : confiaveis) {
            (autoassinado(c) ? raizes : intermediarios).add(c);
        }
        // 1. A path to a trusted root, whatever the dates: each certificate signed by the next one's key.
        List<X509Certificate> caminho = new ArrayList<>();
        X509Certificate raiz = null;
        X509Certificate atual = folha;
        for (int i = 0; i < PROFUNDIDADE_MAXIMA && raiz == null; i++) {
            caminho.add(atual);
            raiz = emissor(raizes, atual);
            if (raiz == null) {
                X509Certificate proximo = emissor(intermediarios, atual);
                if (proximo == null || caminho.contains(proximo)) {
                    return Resultado.NAO_CONFIAVEL;
                }
                atual = proximo;
            }
        }
        if (raiz == null) {
            return Resultado.NAO_CONFIAVEL;
        }
        // 2. Every certificate of the path valid now.
        for (X509Certificate c : caminho) {
            try {
                c.checkValidity(agora);
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return Resultado.EXPIRADO;
            }
        }
        // 3. The whole path through PKIX (constraints, key usage) with revocation by CRL.
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(caminho);
            return revogacao(certPath, Set.of(new TrustAnchor(raiz, null)), agora);
        } catch (GeneralSecurityException e) {
            return Resultado.NAO_CONFIAVEL;
        }
    }

    /** The certificate among {@code candidatos} that issued {@code c} (subject = issuer and its key verifies c). */
    private static X509Certificate emissor(List<X509Certificate> candidatos, X509Certificate c) {
        for (X509Certificate k : candidatos) {
            if (k.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                try {
                    c.verify(k.getPublicKey());
                    return k;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // another key with the same name: keep looking
                }
            }
        }
        return null;
    }

    private Resultado revogacao(CertPath caminho, Set<TrustAnchor> ancoras, Date agora) {
        List<X509CRL> crls = new ArrayList<>();
        for (var c : caminho.getCertificates()) {
            List<String> urls = PontosDistribuicaoCrl.urls((X509Certificate) c);
            for (String url : urls) {
                X509CRL crl = fonteCrl.obter(url);
                if (crl != null) {
                    crls.add(crl);
                    break;
                }
            }
        }
        try {
            CertPathValidator validador = CertPathValidator.getInstance("PKIX");
            PKIXRevocationChecker revogacao = (PKIXRevocationChecker) validador.getRevocationChecker();
            revogacao.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
            PKIXParameters p = new PKIXParameters(ancoras);
            p.setDate(agora);
            p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            p.setRevocationEnabled(false);
            p.addCertPathChecker(revogacao);
            validador.validate(caminho, p);
            return Resultado.VALIDO;
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return Resultado.REVOGADO;
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Resultado.EXPIRADO;
            }
            LOG.infof("lum-certificado-icp: revocation status not established (%s, %s)", e.getReason(), e.getMessage());
            return e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS
                    ? Resultado.REVOGACAO_INDETERMINADA : Resultado.NAO_CONFIAVEL;
        } catch (GeneralSecurityException e) {
            return Resultado.REVOGACAO_INDETERMINADA;
        }
    }

    static boolean autoassinado(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
