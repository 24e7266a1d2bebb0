package br.gov.sp.prefeitura.lum.keycloak.sala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.mockito.ArgumentCaptor;

class SalaEsperaRequiredActionTest {

    private final RequiredActionContext ctx = mock(RequiredActionContext.class);
    private final AuthenticationSessionModel sessao = mock(AuthenticationSessionModel.class);
    private final ClientModel cliente = mock(ClientModel.class);
    private final UserModel usuario = mock(UserModel.class);

    private SalaEsperaRequiredAction acao() {
        return new SalaEsperaRequiredAction(new SalaEsperaConfig(URI.create("http://127.0.0.1:3002/sala-espera"), "s", 900),
                Clock.fixed(Instant.parse("2026-11-16T12:00:00Z"), ZoneOffset.UTC), u -> {
                    Response r = mock(Response.class);
                    when(r.getLocation()).thenReturn(u);
                    return r;
                });
    }

    private void preparar(String nivelConta) {
        Map<String, String> attrs = Map.of("lum.sala.nivel-minimo", "2", "lum.sala.orgao", "fazenda");
        when(ctx.getAuthenticationSession()).thenReturn(sessao);
        when(ctx.getUser()).thenReturn(usuario);
        when(ctx.getRealm()).thenReturn(mock(RealmModel.class));
        when(sessao.getClient()).thenReturn(cliente);
        when(cliente.getAttribute(anyString())).thenAnswer(i -> attrs.get(i.getArgument(0, String.class)));
        when(cliente.getClientId()).thenReturn("sf-fazenda");
        when(usuario.getId()).thenReturn("0b6f3c52-6d1e-4f55-9a8e-2f0c1d9e7a10");
        when(usuario.getUsername()).thenReturn("52998224725");
        when(usuario.getFirstAttribute("nivel_confianca")).thenReturn(nivelConta);
    }

    @Test
    void aNewAccountBelowTheClientMinimumGetsTheActionOnThisSessionOnlyAndGoesToTheRoom() {
        preparar("1");
        SalaEsperaRequiredAction a = acao();
        a.evaluateTriggers(ctx);
        verify(sessao).addRequiredAction("lum-sala-espera");
        verify(usuario, never()).addRequiredAction(anyString());
        a.requiredActionChallenge(ctx);
        ArgumentCaptor<Response> r = ArgumentCaptor.forClass(Response.class);
        verify(ctx).challenge(r.capture());
        assertTrue(r.getValue().getLocation().toString().startsWith("http://127.0.0.1:3002/sala-espera?ref="));
        verify(ctx, never()).success();
    }

    @Test
    void anAccountThatMeetsTheRequirementIsLeftAlone() {
        preparar("2");
        SalaEsperaRequiredAction a = acao();
        a.evaluateTriggers(ctx);
        verify(sessao, never()).addRequiredAction(anyString());
        a.requiredActionChallenge(ctx);
        verify(ctx).success();
        verify(ctx, never()).challenge(any());
    }

    @Test
    void idIsTheOneTheRealmNames() {
        assertEquals("lum-sala-espera", new SalaEsperaRequiredAction().getId());
    }
}
