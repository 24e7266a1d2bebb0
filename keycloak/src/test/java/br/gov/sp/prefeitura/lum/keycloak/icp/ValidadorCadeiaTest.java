package br.gov.sp.prefeitura.lum.keycloak.icp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chain, validity and CRL checks on fixed public vectors (src/test/resources/icp/LEIAME.md), at an instant given
 * here — no wall clock. CRLs come from a map keyed by the distribution-point URL the certificates name.
 */
class ValidadorCadeiaTest {

    static final Date DIA_SEGUINTE = Date.from(Instant.parse("2026-06-02T12:00:00Z"));
    static final String LCR_RAIZ = "http://127.0.0.1:8497/raiz.crl";
    static final String LCR_INTERMEDIARIA = "http://127.0.0.1:8497/intermediaria.crl";

    static List<X509Certificate> ancoras;
    static Map<String, X509CRL> lcrs;

    static InputStream recurso(String nome) {
        return ValidadorCadeiaTest.class.getResourceAsStream("/icp/" + nome);
    }

    static X509Certificate certificado(String nome) throws Exception {
        try (InputStream in = recurso(nome)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static X509CRL lcr(String nome) throws Exception {
        try (InputStream in = recurso(nome)) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }

    @BeforeAll
    static void carregar() throws Exception {
        ancoras = new ArrayList<>();
        try (InputStream in = recurso("ancoras.pem")) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ancoras.add((X509Certificate) c);
            }
        }
        lcrs = new HashMap<>();
        lcrs.put(LCR_RAIZ, lcr("raiz.crl"));
        lcrs.put(LCR_INTERMEDIARIA, lcr("intermediaria.crl"));
    }

    static ValidadorCadeia.Resultado validar(String nome, Map<String, X509CRL> fonte, Date quando) throws Exception {
        return new ValidadorCadeia(fonte::get).validar(new X509Certificate[] {certificado(nome)}, ancoras, quando);
    }

    @Test
    void umCertificadoDaCadeiaNoPrazoENaoRevogadoEhValido() throws Exception {
        assertEquals(ValidadorCadeia.Resultado.VALIDO, validar("valido.pem", lcrs, DIA_SEGUINTE));
        assertEquals("52998224725", DadosPessoaFisica.doCertificado(certificado("valido.pem")).orElseThrow().cpf());
    }

    @Test
    void foraDoPrazoEhExpirado() throws Exception {
        assertEquals(ValidadorCadeia.Resultado.EXPIRADO, validar("expirado.pem", lcrs, DIA_SEGUINTE));
        // the valid one, judged a year and a half later (after its notAfter 2027-06-01)
        assertEquals(ValidadorCadeia.Resultado.EXPIRADO, validar("valido.pem", lcrs, Date.from(Instant.parse("2027-12-01T00:00:00Z"))));
    }

    @Test
    void listadoNaLcrDaIntermediariaEhRevogado() throws Exception {
        assertEquals(ValidadorCadeia.Resultado.REVOGADO, validar("revogado.pem", lcrs, DIA_SEGUINTE));
    }

    @Test
    void autoassinadoNaoEhConfiavelNemSemNenhumaAncora() throws Exception {
        assertEquals(ValidadorCadeia.Resultado.NAO_CONFIAVEL, validar("autoassinado.pem", lcrs, DIA_SEGUINTE));
        assertEquals(ValidadorCadeia.Resultado.NAO_CONFIAVEL,
                new ValidadorCadeia(lcrs::get).validar(new X509Certificate[] {certificado("valido.pem")}, List.of(), DIA_SEGUINTE));
        // only the root trusted and no chain from the client: the intermediate is missing
        assertEquals(ValidadorCadeia.Resultado.NAO_CONFIAVEL,
                new ValidadorCadeia(lcrs::get).validar(new X509Certificate[] {certificado("valido.pem")}, ancoras.subList(0, 1), DIA_SEGUINTE));
        // ... but the client's chain can bring it
        assertEquals(ValidadorCadeia.Resultado.VALIDO,
                new ValidadorCadeia(lcrs::get).validar(new X509Certificate[] {certificado("valido.pem"), ancoras.get(1)}, ancoras.subList(0, 1), DIA_SEGUINTE));
    }

    @Test
    void semLcrDaIntermediariaARevogacaoEhIndeterminada() throws Exception {
        Map<String, X509CRL> soRaiz = Map.of(LCR_RAIZ, lcrs.get(LCR_RAIZ));
        assertEquals(ValidadorCadeia.Resultado.REVOGACAO_INDETERMINADA, validar("valido.pem", soRaiz, DIA_SEGUINTE));
    }

    @Test
    void umaLcrVencidaNaoServe() throws Exception {
        // nextUpdate 2026-06-08: on 2026-06-20 (certificate still valid) no current CRL exists
        assertEquals(ValidadorCadeia.Resultado.REVOGACAO_INDETERMINADA, validar("valido.pem", lcrs, Date.from(Instant.parse("2026-06-20T00:00:00Z"))));
    }
}
