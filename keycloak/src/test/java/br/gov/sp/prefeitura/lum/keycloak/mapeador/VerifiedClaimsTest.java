package br.gov.sp.prefeitura.lum.keycloak.mapeador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.representations.IDToken;

/**
 * The verified_claims mapper against the vector shared with the TypeScript tests (test/vetores/lastro.json, next to
 * the file surefire hands over as {@code lum.vetores}): the summary the API writes gives exactly the hand-written
 * claim, and malformed summaries give none.
 */
class VerifiedClaimsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode vetor() throws IOException {
        String caminho = System.getProperty("lum.vetores");
        if (caminho == null || caminho.isBlank()) throw new IllegalStateException("system property lum.vetores not set (keycloak/pom.xml)");
        return JSON.readTree(Files.readString(Path.of(caminho).resolveSibling("lastro.json")));
    }

    static Stream<Arguments> casos() throws IOException {
        List<Arguments> saida = new ArrayList<>();
        for (JsonNode c : vetor().required("casos")) saida.add(Arguments.of(c.required("nome").asText(), c));
        return saida.stream();
    }

    static Stream<String> semClaim() throws IOException {
        List<String> saida = new ArrayList<>();
        for (JsonNode v : vetor().required("semClaim").required("valores")) saida.add(v.asText());
        return saida.stream();
    }

    private static UserModel usuario(String lastro, String nivel, String cpf) {
        UserModel u = mock(UserModel.class);
        when(u.getFirstAttribute("lastro")).thenReturn(lastro);
        when(u.getFirstAttribute("nivel_confianca")).thenReturn(nivel);
        when(u.getFirstAttribute("cpf")).thenReturn(cpf);
        return u;
    }

    private static ProtocolMapperModel modelo(Map<String, String> config) {
        ProtocolMapperModel m = new ProtocolMapperModel();
        m.setName("verified_claims");
        m.setProtocolMapper(VerifiedClaimsMapper.PROVIDER_ID);
        m.setProtocol("openid-connect");
        m.setConfig(new HashMap<>(config));
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casos")
    void givenSharedVector_thenTheClaimIsExactlyTheHandWrittenOne(String nome, JsonNode caso) {
        JsonNode lastro = caso.required("lastro");
        UserModel u = usuario(lastro.isNull() ? null : lastro.asText(), caso.required("nivel").asText(), caso.required("cpfDoUsuario").asText());
        var claim = VerifiedClaimsMapper.claimPara(u, modelo(Map.of()));
        JsonNode esperado = caso.required("verifiedClaims");
        if (esperado.isNull()) {
            assertTrue(claim.isEmpty(), nome);
        } else {
            assertEquals(esperado, JSON.valueToTree(claim.orElseThrow()), nome);
        }
    }

    @ParameterizedTest
    @MethodSource("semClaim")
    void givenMalformedOrForeignSummary_thenNoClaim(String lastro) {
        assertTrue(VerifiedClaimsMapper.claimPara(usuario(lastro, "3", "52998224725"), modelo(Map.of())).isEmpty(), lastro);
    }

    @Test
    void givenNoLevelOrAnInvalidOne_thenNoClaim() throws IOException {
        String lastro = vetor().required("casos").get(0).required("lastro").asText();
        for (String nivel : new String[] {null, "", "0", "6", "3 "}) {
            assertTrue(VerifiedClaimsMapper.claimPara(usuario(lastro, nivel, "52998224725"), modelo(Map.of())).isEmpty(), String.valueOf(nivel));
        }
    }

    @Test
    void givenTrustFrameworkConfigured_thenItIsUsed() throws IOException {
        String lastro = vetor().required("casos").get(1).required("lastro").asText();
        var claim = VerifiedClaimsMapper.claimPara(usuario(lastro, "3", "11144477735"), modelo(Map.of(VerifiedClaimsMapper.CONFIG_TRUST_FRAMEWORK, "outro_framework")));
        assertEquals("outro_framework", JSON.valueToTree(claim.orElseThrow()).at("/verification/trust_framework").asText());
    }

    @Test
    void givenIdTokenEnabled_thenTransformIdTokenPutsTheClaim_andWithoutTheFlagItDoesNot() throws IOException {
        String lastro = vetor().required("casos").get(0).required("lastro").asText();
        UserSessionModel sessao = mock(UserSessionModel.class);
        UserModel u = usuario(lastro, "3", "52998224725");
        when(sessao.getUser()).thenReturn(u);
        VerifiedClaimsMapper mapper = new VerifiedClaimsMapper();

        IDToken comClaim = mapper.transformIDToken(new IDToken(), modelo(Map.of("id.token.claim", "true")), mock(KeycloakSession.class), sessao, mock(ClientSessionContext.class));
        assertEquals("3", JSON.valueToTree(comClaim.getOtherClaims().get("verified_claims")).at("/verification/assurance_level").asText());

        IDToken semClaim = mapper.transformIDToken(new IDToken(), modelo(Map.of("id.token.claim", "false")), mock(KeycloakSession.class), sessao, mock(ClientSessionContext.class));
        assertFalse(semClaim.getOtherClaims().containsKey("verified_claims"));
    }

    @Test
    void givenServiceFile_thenKeycloakFindsTheMapper() {
        assertTrue(ServiceLoader.load(ProtocolMapper.class).stream().anyMatch(p -> p.type() == VerifiedClaimsMapper.class));
        VerifiedClaimsMapper m = new VerifiedClaimsMapper();
        assertEquals("lum-verified-claims", m.getId());
        assertEquals("openid-connect", m.getProtocol());
        assertTrue(m.getConfigProperties().stream().anyMatch(p -> p.getName().equals("id.token.claim")));
    }
}
