package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.net.URI;
import java.time.Clock;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Required action {@code lum-sala-espera}: the same check as the authenticator for the sign-ins that do not go
 * through the browser or post-broker-login flows — a registration, a password reset — since Keycloak evaluates every
 * enabled required action's trigger whenever a sign-in completes. An account that does not meet the requirement gets
 * the action on this authentication session only (never stored on the user) and is sent to the room; no code
 * reaches the application.
 */
public class SalaEsperaRequiredAction implements RequiredActionProvider, RequiredActionFactory {

    public static final String ID = "lum-sala-espera";

    private Porteiro porteiro;
    private Function<URI, Response> redirecionar = u -> Response.seeOther(u).build();

    public SalaEsperaRequiredAction() {
        // factory instance: init() configures it
    }

    SalaEsperaRequiredAction(SalaEsperaConfig config, Clock relogio, Function<URI, Response> redirecionar) {
        this.porteiro = new Porteiro(config, relogio);
        this.redirecionar = redirecionar;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        if (!(porteiro.decidir(context.getRealm(), context.getAuthenticationSession(), context.getUser()) instanceof Porteiro.Passa)) {
            context.getAuthenticationSession().addRequiredAction(ID);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        Porteiro.Decisao d = porteiro.decidir(context.getRealm(), context.getAuthenticationSession(), context.getUser());
        if (d instanceof Porteiro.Passa) {
            context.success();
        } else if (d instanceof Porteiro.Sala s) {
            context.challenge(redirecionar.apply(s.destino()));
        } else {
            context.failure();
        }
    }

    @Override
    public void processAction(RequiredActionContext context) {
        requiredActionChallenge(context);
    }

    @Override
    public String getDisplayText() {
        return "Sala de Espera: nível e dados exigidos pelo cliente";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
        this.porteiro = new Porteiro(SalaEsperaConfig.doAmbiente(System::getenv), Clock.systemUTC());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // nothing
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void close() {
        // nothing
    }
}
