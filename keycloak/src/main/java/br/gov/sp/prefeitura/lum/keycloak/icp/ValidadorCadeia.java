package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Validates a client certificate with the JDK's PKIX: a path to one of the trusted ICP-Brasil roots, validity at a
 * given instant, and revocation by the CRLs named in each certificate of the path (CRL distribution points).
 * No soft-fail: a certificate whose revocation status cannot be established is refused.
 *
 * <p>Order, so the citizen gets the most useful reason: first whether the certificate chains to a trusted root at all
 * (checked at the middle of its own validity, so an expired certificate from an unknown issuer is "untrusted"), then
 * validity now, then revocation.
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
        Set<TrustAnchor> ancoras = new HashSet<>();
        List<X509Certificate> intermediarios = new ArrayList<>(Arrays.asList(cadeia));
        for (X509Certificate c : confiaveis) {
            if (autoassinado(c)) {
                ancoras.add(new TrustAnchor(c, null));
            } else {
                intermediarios.add(c);
            }
        }
        if (ancoras.isEmpty()) {
            return Resultado.NAO_CONFIAVEL;
        }
        CertPath caminho;
        try {
            Date meio = new Date(folha.getNotBefore().getTime() / 2 + folha.getNotAfter().getTime() / 2);
            X509CertSelector alvo = new X509CertSelector();
            alvo.setCertificate(folha);
            PKIXBuilderParameters p = new PKIXBuilderParameters(ancoras, alvo);
            p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediarios)));
            p.setRevocationEnabled(false);
            p.setDate(meio);
            caminho = ((PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(p)).getCertPath();
        } catch (GeneralSecurityException e) {
            LOG.debugf("lum-certificado-icp: no path to a trusted root (%s)", e.getMessage());
            return Resultado.NAO_CONFIAVEL;
        }
        try {
            PKIXParameters p = new PKIXParameters(ancoras);
            p.setRevocationEnabled(false);
            p.setDate(agora);
            CertPathValidator.getInstance("PKIX").validate(caminho, p);
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Resultado.EXPIRADO;
            }
            LOG.debugf("lum-certificado-icp: path invalid now (%s, %s)", e.getReason(), e.getMessage());
            return Resultado.NAO_CONFIAVEL;
        } catch (GeneralSecurityException e) {
            return Resultado.NAO_CONFIAVEL;
        }
        return revogacao(caminho, ancoras, agora);
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
            LOG.infof("lum-certificado-icp: revocation status not established (%s, %s)", e.getReason(), e.getMessage());
            return e.getReason() == PKIXReason.NO_TRUST_ANCHOR ? Resultado.NAO_CONFIAVEL : Resultado.REVOGACAO_INDETERMINADA;
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
