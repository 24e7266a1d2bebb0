package br.gov.sp.prefeitura.lum.keycloak.sala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class RequisitoTest {

    private static Requisito cliente(Map<String, String> attrs) {
        return Requisito.doCliente(attrs::get);
    }

    private static final Requisito SAUDE = cliente(Map.of("lum.sala.nivel-minimo", "3", "lum.sala.dados", "cns", "lum.sala.orgao", "saude"));

    @Test
    void readsTheClientAttributes() {
        assertEquals(3, SAUDE.nivel());
        assertEquals(List.of("cns"), List.copyOf(SAUDE.dados()));
        assertEquals("saude", SAUDE.orgao());
    }

    @Test
    void missingOrMalformedAttributesMeanLevelOneNoDataCentralTeam() {
        Requisito r = cliente(Map.of());
        assertEquals(1, r.nivel());
        assertEquals(List.of(), List.copyOf(r.dados()));
        assertEquals("cadastro", r.orgao());
        assertEquals(1, cliente(Map.of("lum.sala.nivel-minimo", "7")).nivel());
        assertEquals(1, cliente(Map.of("lum.sala.nivel-minimo", "três")).nivel());
        assertEquals(List.of("nis"), List.copyOf(cliente(Map.of("lum.sala.dados", " nis , biometria-facial,")).dados()));
    }

    @Test
    void acrValuesRaiseTheLevelNeverLowerIt() {
        assertEquals(4, SAUDE.comPedido("urn:lum:nivel:4", null).nivel());
        assertEquals(3, SAUDE.comPedido("urn:lum:nivel:2", null).nivel());
        assertEquals(3, SAUDE.comPedido("urn:lum:nivel:1", null).nivel());
        // several values: the RP accepts any, so the lowest named level counts
        assertEquals(4, SAUDE.comPedido("urn:lum:nivel:5 urn:lum:nivel:4", null).nivel());
        // values that name no level are ignored
        assertEquals(3, SAUDE.comPedido("gold urn:lum:nivel:9 urn:lum:nivel:", null).nivel());
        // the data the client requires are kept
        assertEquals(List.of("cns"), List.copyOf(SAUDE.comPedido("urn:lum:nivel:5", null).dados()));
    }

    @Test
    void essentialNivelConfiancaClaimRaisesTheLevel() {
        Requisito fazenda = cliente(Map.of("lum.sala.nivel-minimo", "2"));
        assertEquals(4, fazenda.comPedido(null, "{\"id_token\":{\"nivel_confianca\":{\"essential\":true,\"value\":\"4\"}}}").nivel());
        assertEquals(3, fazenda.comPedido(null, "{\"userinfo\":{\"nivel_confianca\":{\"essential\":true,\"values\":[\"5\",3]}}}").nivel());
        // not essential: a preference, not a requirement
        assertEquals(2, fazenda.comPedido(null, "{\"id_token\":{\"nivel_confianca\":{\"value\":\"5\"}}}").nivel());
        // lower than the client's minimum: the minimum holds
        assertEquals(2, fazenda.comPedido(null, "{\"id_token\":{\"nivel_confianca\":{\"essential\":true,\"value\":\"1\"}}}").nivel());
        // garbage is no request
        assertEquals(2, fazenda.comPedido(null, "{nao é json").nivel());
        assertEquals(2, fazenda.comPedido(null, "{\"id_token\":{\"nivel_confianca\":{\"essential\":true,\"value\":\"seis\"}}}").nivel());
        // both: the higher of the two
        assertEquals(5, fazenda.comPedido("urn:lum:nivel:3", "{\"id_token\":{\"nivel_confianca\":{\"essential\":true,\"value\":5}}}").nivel());
    }

    @Test
    void levelOutsideOneToFiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Requisito(0, new TreeSet<>(), "saude"));
        assertThrows(IllegalArgumentException.class, () -> new Requisito(6, new TreeSet<>(), "saude"));
    }
}
