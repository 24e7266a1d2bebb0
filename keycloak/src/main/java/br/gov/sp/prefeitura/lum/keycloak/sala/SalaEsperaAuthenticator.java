package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Sala de Espera: placed after authentication (browser flow, and the gov.br post-broker-login flow, which runs after
 * the first-broker-login one too). When the account meets what the client — and this request — requires, it passes
 * and records the level required in the user session note {@code lum.nivel_exigido}; otherwise the browser goes to
 * the Sala de Espera with a signed, short-lived reference ({@link ReferenciaSala}) and the flow does not complete:
 * no code, no token reaches the application. A later sign-in that meets the requirement passes without the room.
 */
public class SalaEsperaAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(SalaEsperaAuthenticator.class);
    /** The raw request parameters Keycloak's authorization endpoint keeps as client notes. */
    static final String NOTA_ACR = "acr_values";
    static final String NOTA_CLAIMS = "claims";
    public static final String NOTA_NIVEL_EXIGIDO = "lum.nivel_exigido";
    /**
     * Staff (realm role {@code servidor}, implied by every {@code servidor-*}; stewards are staff) sign in to the city's
     * systems to work: their accounts are provisioned by the city, and what they reach is decided by their roles, not
     * by the citizen's identity-proofing level. They pass the room.
     */
    public static final String PAPEL_ISENTO = "servidor";

    private final SalaEsperaConfig config;
    private final Clock relogio;
    private final Function<URI, Response> redirecionar;

    public SalaEsperaAuthenticator(SalaEsperaConfig config, Clock relogio) {
        this(config, relogio, u -> Response.seeOther(u).build());
    }

    /** {@code redirecionar} builds the 303 (a JAX-RS runtime exists only inside the server; tests pass their own). */
    SalaEsperaAuthenticator(SalaEsperaConfig config, Clock relogio, Function<URI, Response> redirecionar) {
        this.config = config;
        this.relogio = relogio;
        this.redirecionar = redirecionar;
    }

    /** The room's address with the reference (base64url and '.', nothing to escape). */
    static URI destino(URI sala, String ref) {
        String base = sala.toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + "ref=" + ref);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel sessao = context.getAuthenticationSession();
        ClientModel cliente = sessao.getClient();
        UserModel usuario = context.getUser();
        RoleModel servidor = context.getRealm() == null ? null : context.getRealm().getRole(PAPEL_ISENTO);
        if (servidor != null && usuario.hasRole(servidor)) {
            context.success();
            return;
        }
        Requisito requisito = Requisito.doCliente(cliente::getAttribute)
                .comPedido(sessao.getClientNote(NOTA_ACR), sessao.getClientNote(NOTA_CLAIMS));
        Avaliacao a = Avaliacao.avaliar(requisito, usuario.getFirstAttribute(Avaliacao.ATRIBUTO_NIVEL_CONTA),
                usuario.getFirstAttribute(Avaliacao.ATRIBUTO_DADOS_CONTA));
        if (a.atende()) {
            sessao.setUserSessionNote(NOTA_NIVEL_EXIGIDO, String.valueOf(requisito.nivel()));
            context.success();
            return;
        }
        if (config.segredo() == null) {
            // no secret: the room cannot be reached safely; refuse rather than let the user through
            LOG.error("lum-sala-espera: LUM_EVENTS_HMAC_SECRET not set; sign-in refused");
            context.failure(AuthenticationFlowError.INTERNAL_ERROR);
            return;
        }
        long agora = relogio.instant().getEpochSecond();
        String nome = cliente.getName() == null || cliente.getName().isBlank() ? cliente.getClientId() : cliente.getName();
        String ref = new ReferenciaSala(config.segredo()).emitir(new ReferenciaSala.Dados(usuario.getId(), usuario.getUsername(),
                cliente.getClientId(), nome, requisito.orgao(), requisito.nivel(), List.copyOf(requisito.dados()),
                agora, agora + config.validadeSegundos(), UUID.randomUUID().toString()));
        URI destino = destino(config.url(), ref);
        LOG.debugf("lum-sala-espera: user %s does not meet %s for %s (level %d); sent to the room", usuario.getId(), requisito, cliente.getClientId(), a.nivelDaConta());
        context.getEvent().detail("lum_sala_espera", cliente.getClientId());
        context.challenge(redirecionar.apply(destino));
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
