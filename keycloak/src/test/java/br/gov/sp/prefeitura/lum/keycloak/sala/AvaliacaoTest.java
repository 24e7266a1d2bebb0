package br.gov.sp.prefeitura.lum.keycloak.sala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AvaliacaoTest {

    private static final Requisito SAUDE = Requisito.doCliente(Map.of("lum.sala.nivel-minimo", "3", "lum.sala.dados", "cns")::get);
    private static final Requisito FAZENDA = Requisito.doCliente(Map.of("lum.sala.nivel-minimo", "2")::get);

    @Test
    void levelAndDataBothNeeded() {
        Avaliacao semCns = Avaliacao.avaliar(SAUDE, "3", null);
        assertFalse(semCns.atende());
        assertEquals(List.of("cns"), semCns.dadosQueFaltam());
        assertFalse(Avaliacao.avaliar(SAUDE, "2", "cns").atende());
        assertTrue(Avaliacao.avaliar(SAUDE, "3", "cns").atende());
        assertTrue(Avaliacao.avaliar(SAUDE, "4", "nis,cns").atende());
    }

    @Test
    void levelTwoPassesFazendaButNotSaude() {
        assertTrue(Avaliacao.avaliar(FAZENDA, "2", null).atende());
        assertFalse(Avaliacao.avaliar(SAUDE, "2", null).atende());
    }

    @Test
    void missingOrForgedLevelCountsAsOne() {
        assertEquals(1, Avaliacao.avaliar(FAZENDA, null, null).nivelDaConta());
        assertFalse(Avaliacao.avaliar(FAZENDA, null, null).atende());
        assertFalse(Avaliacao.avaliar(FAZENDA, "9", null).atende());
        assertFalse(Avaliacao.avaliar(FAZENDA, "2.5", null).atende());
        assertTrue(Avaliacao.avaliar(Requisito.doCliente(Map.<String, String>of()::get), null, null).atende());
    }
}
