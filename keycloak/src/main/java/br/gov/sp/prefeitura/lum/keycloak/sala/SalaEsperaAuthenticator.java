package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.net.URI;
import java.time.Clock;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Sala de Espera: placed after authentication (browser flow, and the gov.br post-broker-login flow, which runs after
 * the first-broker-login one too). When the account meets what the client — and this request — requires, it passes
 * and records the level required in the user session note {@code lum.nivel_exigido}; otherwise the browser goes to
 * the Sala de Espera with a signed, short-lived reference ({@link ReferenciaSala}) and the flow does not complete:
 * no code, no token reaches the application. A later sign-in that meets the requirement passes without the room.
 * The decision is {@link Porteiro}'s, shared with {@link SalaEsperaRequiredAction}.
 */
public class SalaEsperaAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(SalaEsperaAuthenticator.class);
    public static final String NOTA_NIVEL_EXIGIDO = "lum.nivel_exigido";
    /**
     * Staff sign in to the city's systems to work: their accounts are provisioned by the city, and what they reach is
     * decided by their roles, not by the citizen's identity-proofing level. They pass the room: realm role
     * {@code servidor} (implied by every {@code servidor-*}) and the data stewards' roles, which do not imply it.
     */
    public static final java.util.List<String> PAPEIS_ISENTOS = java.util.List.of(
            "servidor", "gestor-cadastro", "gestor-saude", "gestor-fazenda", "gestor-educacao", "gestor-smads", "admin-cadastro");

    private final Porteiro porteiro;
    private final Function<URI, Response> redirecionar;

    public SalaEsperaAuthenticator(SalaEsperaConfig config, Clock relogio) {
        this(config, relogio, u -> Response.seeOther(u).build());
    }

    /** {@code redirecionar} builds the 303 (a JAX-RS runtime exists only inside the server; tests pass their own). */
    SalaEsperaAuthenticator(SalaEsperaConfig config, Clock relogio, Function<URI, Response> redirecionar) {
        this.porteiro = new Porteiro(config, relogio);
        this.redirecionar = redirecionar;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Porteiro.Decisao d = porteiro.decidir(context.getRealm(), context.getAuthenticationSession(), context.getUser());
        if (d instanceof Porteiro.Passa p) {
            context.getAuthenticationSession().setUserSessionNote(NOTA_NIVEL_EXIGIDO, String.valueOf(p.nivelExigido()));
            context.success();
        } else if (d instanceof Porteiro.Sala s) {
            context.getEvent().detail("lum_sala_espera", context.getAuthenticationSession().getClient().getClientId());
            context.challenge(redirecionar.apply(s.destino()));
        } else {
            // no secret: the room cannot be reached safely; refuse rather than let the user through
            LOG.error("lum-sala-espera: LUM_EVENTS_HMAC_SECRET not set; sign-in refused");
            context.failure(AuthenticationFlowError.INTERNAL_ERROR);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // the room is outside Keycloak: coming back means signing in again
        authenticate(context);
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // none
    }

    @Override
    public void close() {
        // nothing
    }
}
