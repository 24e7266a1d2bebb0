package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fixed test vectors shared with the TypeScript tests: {@code test/vetores/hashes.json} at the repository root
 * (path handed over by surefire as {@code lum.vetores}, see pom.xml). Their digests were computed with OpenSSL on the
 * exact bytes, never by the code under test.
 */
final class VetoresCompartilhados {

    /** The event HMAC vector: secret, timestamp, raw body and the expected {@code X-LUM-Signature}. */
    record EventoHmac(String segredo, String timestamp, String corpo, String assinaturaHex, String cabecalho) {
    }

    private VetoresCompartilhados() {
    }

    static Path arquivo() {
        String caminho = System.getProperty("lum.vetores");
        if (caminho == null || caminho.isBlank()) {
            throw new IllegalStateException("system property lum.vetores not set (surefire configuration in keycloak/pom.xml)");
        }
        return Path.of(caminho);
    }

    static EventoHmac eventoHmac() {
        try {
            JsonNode v = new ObjectMapper().readTree(Files.readString(arquivo())).required("eventoHmac");
            return new EventoHmac(v.required("segredo").asText(), v.required("timestamp").asText(), v.required("corpo").asText(),
                    v.required("assinaturaHex").asText(), v.required("cabecalho").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shared test vectors " + arquivo(), e);
        }
    }
}
