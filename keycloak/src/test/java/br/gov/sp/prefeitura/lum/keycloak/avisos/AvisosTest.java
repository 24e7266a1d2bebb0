package br.gov.sp.prefeitura.lum.keycloak.avisos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

class AvisosTest {

    @Test
    void aceitaSoOMotivo() {
        assertEquals(PedidoAviso.Motivo.MENSAGEM, PedidoAviso.validar(Map.of("motivo", "mensagem")).motivo());
        assertEquals(PedidoAviso.Motivo.PEDIDO, PedidoAviso.validar(Map.of("motivo", "pedido")).motivo());
    }

    @Test
    void recusaCampoDesconhecidoMotivoInvalidoECorpoAusente() {
        assertEquals("Campo não permitido: texto",
                assertThrows(IllegalArgumentException.class, () -> PedidoAviso.validar(Map.of("motivo", "mensagem", "texto", "olá"))).getMessage());
        assertEquals("motivo deve ser mensagem ou pedido",
                assertThrows(IllegalArgumentException.class, () -> PedidoAviso.validar(Map.of("motivo", "MENSAGEM"))).getMessage());
        Map<String, Object> nulo = new HashMap<>();
        nulo.put("motivo", null);
        assertThrows(IllegalArgumentException.class, () -> PedidoAviso.validar(nulo));
        assertThrows(IllegalArgumentException.class, () -> PedidoAviso.validar(Map.of("motivo", 1)));
        assertThrows(IllegalArgumentException.class, () -> PedidoAviso.validar(null));
    }

    private static UserModel usuario(boolean ativo, String email, boolean verificado) {
        UserModel u = mock(UserModel.class);
        when(u.isEnabled()).thenReturn(ativo);
        when(u.getEmail()).thenReturn(email);
        when(u.isEmailVerified()).thenReturn(verificado);
        return u;
    }

    private static EmailTemplateProvider provedor() {
        EmailTemplateProvider p = mock(EmailTemplateProvider.class);
        when(p.setRealm(any())).thenReturn(p);
        when(p.setUser(any())).thenReturn(p);
        return p;
    }

    @Test
    void enviaOTemplateDoTemaComOAssuntoDoMotivoESoOMotivo() throws EmailException {
        EmailTemplateProvider p = provedor();
        RealmModel realm = mock(RealmModel.class);
        UserModel u = usuario(true, "ana@exemplo.sp.gov.br", true);
        assertEquals(EnvioAviso.Resultado.ENVIADO, EnvioAviso.enviar(p, realm, u, new PedidoAviso(PedidoAviso.Motivo.MENSAGEM)));
        verify(p).setRealm(realm);
        verify(p).setUser(u);
        verify(p).send("lumAvisoMensagemSubject", "lum-aviso.ftl", Map.of("motivo", "mensagem"));
        EnvioAviso.enviar(p, realm, u, new PedidoAviso(PedidoAviso.Motivo.PEDIDO));
        verify(p).send("lumAvisoPedidoSubject", "lum-aviso.ftl", Map.of("motivo", "pedido"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void osAtributosAceitamOsDoProvedor() throws EmailException {
        // FreeMarkerEmailTemplateProvider puts locale, properties, realmName… into the map it is given.
        EmailTemplateProvider p = provedor();
        EnvioAviso.enviar(p, mock(RealmModel.class), usuario(true, "ana@exemplo.sp.gov.br", true), new PedidoAviso(PedidoAviso.Motivo.MENSAGEM));
        org.mockito.ArgumentCaptor<Map<String, Object>> atributos = org.mockito.ArgumentCaptor.forClass(Map.class);
        verify(p).send(anyString(), anyString(), atributos.capture());
        atributos.getValue().put("locale", "pt-BR");
        assertEquals("mensagem", atributos.getValue().get("motivo"));
    }

    @Test
    void naoEnviaParaEmailNaoVerificadoAusenteOuUsuarioDesativado() throws EmailException {
        EmailTemplateProvider p = provedor();
        RealmModel realm = mock(RealmModel.class);
        PedidoAviso pedido = new PedidoAviso(PedidoAviso.Motivo.MENSAGEM);
        assertEquals(EnvioAviso.Resultado.SEM_EMAIL_VERIFICADO, EnvioAviso.enviar(p, realm, usuario(true, "ana@exemplo.sp.gov.br", false), pedido));
        assertEquals(EnvioAviso.Resultado.SEM_EMAIL_VERIFICADO, EnvioAviso.enviar(p, realm, usuario(true, null, true), pedido));
        assertEquals(EnvioAviso.Resultado.SEM_EMAIL_VERIFICADO, EnvioAviso.enviar(p, realm, usuario(true, " ", true), pedido));
        assertEquals(EnvioAviso.Resultado.DESATIVADO, EnvioAviso.enviar(p, realm, usuario(false, "ana@exemplo.sp.gov.br", true), pedido));
        verify(p, never()).send(anyString(), anyString(), anyMap());
    }

    @Test
    void falhaDoSmtpSobeParaORecursoResponder502() throws EmailException {
        EmailTemplateProvider p = provedor();
        org.mockito.Mockito.doThrow(new EmailException("recusado")).when(p).send(anyString(), anyString(), anyMap());
        assertThrows(EmailException.class, () -> EnvioAviso.enviar(p, mock(RealmModel.class), usuario(true, "ana@exemplo.sp.gov.br", true), new PedidoAviso(PedidoAviso.Motivo.PEDIDO)));
    }

    @Test
    void fabricaTemOIdDoRecurso() {
        assertEquals("lum-avisos", new AvisosResourceProviderFactory().getId());
    }
}
