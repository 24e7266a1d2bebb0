package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** The http(s) URLs of a certificate's CRL distribution points (extension 2.5.29.31, fullName URIs only). */
final class PontosDistribuicaoCrl {

    static final String OID = "2.5.29.31";

    private PontosDistribuicaoCrl() {
    }

    static List<String> urls(X509Certificate certificado) {
        byte[] ext = certificado.getExtensionValue(OID);
        return ext == null ? List.of() : daExtensao(ext);
    }

    static List<String> daExtensao(byte[] ext) {
        List<String> urls = new ArrayList<>();
        try {
            Der.Tlv pontos = Der.lerUnico(Der.lerUnico(ext).conteudo());
            for (Der.Tlv ponto : pontos.filhos()) {
                // DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL, ... }
                for (Der.Tlv campo : ponto.filhos()) {
                    if (campo.tag() != 0xA0) {
                        continue;
                    }
                    for (Der.Tlv nome : campo.filhos()) {
                        if (nome.tag() != 0xA0) { // fullName [0] GeneralNames
                            continue;
                        }
                        for (Der.Tlv geral : nome.filhos()) {
                            if (geral.tag() == 0x86) { // uniformResourceIdentifier [6] IA5String
                                String url = new String(geral.conteudo(), StandardCharsets.US_ASCII);
                                if (url.startsWith("http://") || url.startsWith("https://")) {
                                    urls.add(url);
                                }
                            }
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return urls;
    }
}
