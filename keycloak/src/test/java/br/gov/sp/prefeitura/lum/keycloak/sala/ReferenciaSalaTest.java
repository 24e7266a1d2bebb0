package br.gov.sp.prefeitura.lum.keycloak.sala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReferenciaSalaTest {

    /** test/vetores/sala-referencia.json, next to the file surefire names in lum.vetores. */
    private static JsonNode vetor() throws IOException {
        Path hashes = Path.of(System.getProperty("lum.vetores"));
        return new ObjectMapper().readTree(Files.readString(hashes.resolveSibling("sala-referencia.json")));
    }

    private static final ReferenciaSala.Dados DADOS = new ReferenciaSala.Dados("0b6f3c52-6d1e-4f55-9a8e-2f0c1d9e7a10", "52998224725",
            "sms-saude", "Saúde — Secretaria Municipal da Saúde (SMS)", "saude", 3, List.of("cns"), 1763308800L, 1763309700L,
            "7d1f2a9e-3b4c-4d5e-8f60-1a2b3c4d5e6f");

    @Test
    void matchesTheSharedVectorComputedWithOpenssl() throws IOException {
        JsonNode v = vetor();
        String ref = new ReferenciaSala(v.required("segredo").asText()).emitir(DADOS);
        assertEquals(v.required("referencia").asText(), ref);
        String payload = new String(Base64.getUrlDecoder().decode(ref.split("\\.")[0]), StandardCharsets.UTF_8);
        assertEquals(v.required("payload").asText(), payload);
    }

    @Test
    void anotherSecretSignsDifferently() throws IOException {
        JsonNode v = vetor();
        String ref = new ReferenciaSala("outro-segredo").emitir(DADOS);
        assertEquals(v.required("referencia").asText().split("\\.")[0], ref.split("\\.")[0]);
        assertNotEquals(v.required("referencia").asText().split("\\.")[1], ref.split("\\.")[1]);
    }

    @Test
    void emptySecretRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReferenciaSala(""));
        assertThrows(IllegalArgumentException.class, () -> new ReferenciaSala(null));
    }
}
