package br.gov.sp.prefeitura.lum.keycloak.icp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Hand-built DER vectors of a SubjectAltName extension (as X509Certificate.getExtensionValue returns it: an OCTET
 * STRING around GeneralNames), the ICP-Brasil otherName 2.16.76.1.3.1 written byte by byte below.
 */
class DadosPessoaFisicaTest {

    /** OBJECT IDENTIFIER 2.16.76.1.3.1: 2*40+16 = 96 = 0x60, 76 = 0x4C, 1, 3, 1. */
    static final byte[] OID_ICP_PF = {0x06, 0x05, 0x60, 0x4C, 0x01, 0x03, 0x01};
    /** OBJECT IDENTIFIER 1.3.6.1.4.1.311.20.2.3 (Microsoft UPN, also found in ICP-Brasil certificates). */
    static final byte[] OID_UPN = {0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x14, 0x02, 0x03};

    /** birth 15/03/1980, CPF 529.982.247-25, NIS 123.45678.90-1, RG 123456789 (15, zero-padded), SSP SP. */
    static final String DADOS = "15031980" + "52998224725" + "12345678901" + "000000123456789" + "SSPSP0";

    static byte[] tlv(int tag, byte[]... partes) {
        ByteArrayOutputStream conteudo = new ByteArrayOutputStream();
        for (byte[] p : partes) {
            conteudo.writeBytes(p);
        }
        byte[] c = conteudo.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (c.length < 0x80) {
            out.write(c.length);
        } else {
            out.write(0x81);
            out.write(c.length);
        }
        out.writeBytes(c);
        return out.toByteArray();
    }

    static byte[] txt(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** GeneralName otherName: [0] IMPLICIT SEQUENCE { type-id, [0] EXPLICIT value }. */
    static byte[] otherName(byte[] oid, byte[] valor) {
        return tlv(0xA0, oid, tlv(0xA0, valor));
    }

    static byte[] extensao(byte[]... nomes) {
        return tlv(0x04, tlv(0x30, nomes));
    }

    @Test
    void leOCpfDoValorOctetString() {
        Optional<DadosPessoaFisica> d = DadosPessoaFisica.daExtensao(extensao(otherName(OID_ICP_PF, tlv(0x04, txt(DADOS)))));
        assertEquals(Optional.of(new DadosPessoaFisica("15031980", "52998224725", "12345678901")), d);
    }

    @Test
    void aceitaPrintableStringEUtf8String() {
        assertEquals("52998224725", DadosPessoaFisica.daExtensao(extensao(otherName(OID_ICP_PF, tlv(0x13, txt(DADOS))))).orElseThrow().cpf());
        assertEquals("52998224725", DadosPessoaFisica.daExtensao(extensao(otherName(OID_ICP_PF, tlv(0x0C, txt(DADOS))))).orElseThrow().cpf());
    }

    @Test
    void achaOOidIcpEntreOutrosNomes() {
        byte[] email = tlv(0x81, txt("maria@example.com"));
        byte[] upn = otherName(OID_UPN, tlv(0x0C, txt("maria@example.com")));
        byte[] icp = otherName(OID_ICP_PF, tlv(0x04, txt("01011990" + "11144477735" + "00000000000" + "000000000000000" + "000000")));
        DadosPessoaFisica d = DadosPessoaFisica.daExtensao(extensao(email, upn, icp)).orElseThrow();
        assertEquals("11144477735", d.cpf());
        assertEquals("01011990", d.nascimento());
        assertNull(d.nis(), "NIS em zeros = ausente");
    }

    @Test
    void semOtherNameIcpNaoHaCpf() {
        assertTrue(DadosPessoaFisica.daExtensao(extensao(tlv(0x81, txt("maria@example.com")))).isEmpty());
        assertTrue(DadosPessoaFisica.daExtensao(extensao(otherName(OID_UPN, tlv(0x0C, txt(DADOS))))).isEmpty());
    }

    @Test
    void cpfComDigitoErradoOuCurtoNaoEhCpf() {
        // 529.982.247-24: wrong second check digit
        String errado = "15031980" + "52998224724" + "12345678901" + "000000123456789" + "SSPSP0";
        assertTrue(DadosPessoaFisica.daExtensao(extensao(otherName(OID_ICP_PF, tlv(0x04, txt(errado))))).isEmpty());
        assertTrue(DadosPessoaFisica.daExtensao(extensao(otherName(OID_ICP_PF, tlv(0x04, txt("150319805299822472"))))).isEmpty());
        String zeros = "15031980" + "00000000000" + "12345678901" + "000000123456789" + "SSPSP0";
        assertTrue(DadosPessoaFisica.daExtensao(extensao(otherName(OID_ICP_PF, tlv(0x04, txt(zeros))))).isEmpty());
    }

    @Test
    void derMalformadoNaoHaCpf() {
        byte[] bom = extensao(otherName(OID_ICP_PF, tlv(0x04, txt(DADOS))));
        byte[] truncado = java.util.Arrays.copyOf(bom, bom.length - 5);
        assertTrue(DadosPessoaFisica.daExtensao(truncado).isEmpty());
        assertTrue(DadosPessoaFisica.daExtensao(new byte[] {0x04, 0x02, 0x30}).isEmpty());
        assertTrue(DadosPessoaFisica.daExtensao(new byte[0]).isEmpty());
        // A value of another type (INTEGER) inside the explicit tag
        assertTrue(DadosPessoaFisica.daExtensao(extensao(otherName(OID_ICP_PF, tlv(0x02, new byte[] {1})))).isEmpty());
    }

    @Test
    void oidEmFormaPontuada() {
        assertEquals("2.16.76.1.3.1", Der.oid(new byte[] {0x60, 0x4C, 0x01, 0x03, 0x01}));
        assertEquals("1.3.6.1.4.1.311.20.2.3", Der.oid(new byte[] {0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x14, 0x02, 0x03}));
    }

    @Test
    void urlsDosPontosDeDistribuicaoDeLcr() {
        // CRLDistributionPoints ::= SEQUENCE OF DistributionPoint { [0] { [0] fullName { [6] URI } } }
        byte[] ponto1 = tlv(0x30, tlv(0xA0, tlv(0xA0, tlv(0x86, txt("http://127.0.0.1:9/ac.crl")))));
        byte[] ponto2 = tlv(0x30, tlv(0xA0, tlv(0xA0, tlv(0x86, txt("ldap://ldap.example/cn=ac")), tlv(0x86, txt("https://lcr.example/ac.crl")))));
        byte[] ext = tlv(0x04, tlv(0x30, ponto1, ponto2));
        assertEquals(List.of("http://127.0.0.1:9/ac.crl", "https://lcr.example/ac.crl"), PontosDistribuicaoCrl.daExtensao(ext));
        assertEquals(List.of(), PontosDistribuicaoCrl.daExtensao(new byte[] {0x04, 0x01}));
    }
}
