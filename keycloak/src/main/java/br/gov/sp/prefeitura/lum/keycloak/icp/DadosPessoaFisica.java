package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;

import br.gov.sp.prefeitura.lum.keycloak.validacao.Cpf;

/**
 * The ICP-Brasil natural-person data of a certificate: the SubjectAltName otherName with OID
 * {@value #OID_DADOS_PF} (DOC-ICP-04: "dados do titular"), whose value is 51 characters: birth date {@code ddmmaaaa}
 * (8), CPF (11), NIS/PIS (11), RG (15) and the RG's issuing body + UF (6). Absent fields are filled with zeros.
 *
 * <p>Read straight from the extension's DER ({@link Der}), not through the JDK's {@code getSubjectAlternativeNames()},
 * whose encoding of otherName values is not specified. The value is accepted as OCTET STRING (what DOC-ICP-04 asks)
 * or as a PrintableString/UTF8String/IA5String (seen in issued certificates).
 *
 * @param nascimento {@code ddmmaaaa}, or {@code null} when zeros
 * @param cpf        11 digits with valid check digits (a certificate whose field is not a valid CPF has no CPF)
 * @param nis        11 digits or {@code null} when zeros/absent
 */
public record DadosPessoaFisica(String nascimento, String cpf, String nis) {

    public static final String OID_DADOS_PF = "2.16.76.1.3.1";
    static final String OID_SUBJECT_ALT_NAME = "2.5.29.17";

    /** The data of the certificate, or empty when it has no such otherName or its CPF is not a valid CPF. */
    public static Optional<DadosPessoaFisica> doCertificado(X509Certificate certificado) {
        byte[] extensao = certificado.getExtensionValue(OID_SUBJECT_ALT_NAME);
        return extensao == null ? Optional.empty() : daExtensao(extensao);
    }

    /**
     * From the SubjectAltName extension value as {@code X509Certificate.getExtensionValue} returns it (an OCTET STRING
     * wrapping {@code GeneralNames}). Malformed DER gives empty.
     */
    static Optional<DadosPessoaFisica> daExtensao(byte[] extensao) {
        try {
            Der.Tlv envelope = Der.lerUnico(extensao);
            if (envelope.tag() != Der.OCTET_STRING) {
                return Optional.empty();
            }
            Der.Tlv nomes = Der.lerUnico(envelope.conteudo());
            if (nomes.tag() != Der.SEQUENCE) {
                return Optional.empty();
            }
            for (Der.Tlv nome : nomes.filhos()) {
                // GeneralName otherName: [0] IMPLICIT OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
                if (nome.tag() != 0xA0) {
                    continue;
                }
                var partes = nome.filhos();
                if (partes.size() != 2 || partes.get(0).tag() != Der.OID || partes.get(1).tag() != 0xA0) {
                    continue;
                }
                if (!OID_DADOS_PF.equals(Der.oid(partes.get(0).conteudo()))) {
                    continue;
                }
                Der.Tlv valor = Der.lerUnico(partes.get(1).conteudo());
                return switch (valor.tag()) {
                    case Der.OCTET_STRING, Der.PRINTABLE_STRING, Der.UTF8_STRING, Der.IA5_STRING ->
                            doTexto(new String(valor.conteudo(), StandardCharsets.ISO_8859_1));
                    default -> Optional.empty();
                };
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** From the 51-character value (at least the first 19 characters: birth date and CPF). */
    static Optional<DadosPessoaFisica> doTexto(String valor) {
        if (valor.length() < 19) {
            return Optional.empty();
        }
        String nascimento = valor.substring(0, 8);
        String cpf = valor.substring(8, 19);
        if (!Cpf.isValid(cpf) || !digitos(nascimento)) {
            return Optional.empty();
        }
        String nis = valor.length() >= 30 ? valor.substring(19, 30) : null;
        return Optional.of(new DadosPessoaFisica(zeros(nascimento) ? null : nascimento, cpf,
                nis == null || !digitos(nis) || zeros(nis) ? null : nis));
    }

    private static boolean digitos(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean zeros(String s) {
        return s.chars().allMatch(c -> c == '0');
    }
}
