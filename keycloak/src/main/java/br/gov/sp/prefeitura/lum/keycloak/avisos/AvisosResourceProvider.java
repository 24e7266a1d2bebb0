package br.gov.sp.prefeitura.lum.keycloak.avisos;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * {@code POST /realms/{realm}/lum-avisos/usuarios/{id}/aviso} with {@code {"motivo": "mensagem"|"pedido"}}.
 *
 * <p>Bearer token of the realm whose user holds the client role {@code lum-api/enviar-aviso-email} (the API's
 * service account; a role of its own, so that sending the notice needs neither {@code manage-users} nor anything
 * else). Answers 200 {@code {"enviado": true}}; 422 {@code {"enviado": false, "motivo": ...}} when the user has no
 * verified e-mail or is disabled (nothing to retry); 400 for a bad body; 404 for an unknown user; 502 when the SMTP
 * server refuses (worth retrying).
 */
public class AvisosResourceProvider implements RealmResourceProvider {

    static final String CLIENTE_PAPEL = "lum-api";
    static final String PAPEL = "enviar-aviso-email";
    private static final Logger LOG = Logger.getLogger(AvisosResourceProvider.class);

    private final KeycloakSession session;

    public AvisosResourceProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @Override
    public void close() {
    }

    @POST
    @Path("usuarios/{id}/aviso")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response avisar(@PathParam("id") String id, Map<String, Object> corpo) {
        RealmModel realm = session.getContext().getRealm();
        Response negado = autorizar(realm);
        if (negado != null) {
            return negado;
        }
        PedidoAviso pedido;
        try {
            pedido = PedidoAviso.validar(corpo);
        } catch (IllegalArgumentException e) {
            return erro(Response.Status.BAD_REQUEST, e.getMessage());
        }
        UserModel user = session.users().getUserById(realm, id);
        if (user == null) {
            return erro(Response.Status.NOT_FOUND, "Usuário não encontrado");
        }
        try {
            EnvioAviso.Resultado r = EnvioAviso.enviar(session.getProvider(EmailTemplateProvider.class), realm, user, pedido);
            if (r != EnvioAviso.Resultado.ENVIADO) {
                return Response.status(422).type(MediaType.APPLICATION_JSON)
                        .entity(Map.of("enviado", false, "motivo", r == EnvioAviso.Resultado.DESATIVADO ? "usuario-desativado" : "sem-email-verificado")).build();
            }
            return Response.ok(Map.of("enviado", true)).build();
        } catch (EmailException e) {
            LOG.warnf(e, "lum-avisos: envio do aviso (%s) ao usuário %s falhou", pedido.motivo().nome(), id);
            return erro(Response.Status.BAD_GATEWAY, "O servidor de e-mail não aceitou o aviso");
        }
    }

    /** null when the caller may send; else the 401/403 answer. */
    private Response autorizar(RealmModel realm) {
        AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm).authenticate();
        if (auth == null || auth.user() == null) {
            return erro(Response.Status.UNAUTHORIZED, "Token ausente ou inválido");
        }
        ClientModel cliente = realm.getClientByClientId(CLIENTE_PAPEL);
        RoleModel papel = cliente == null ? null : cliente.getRole(PAPEL);
        if (papel == null || !auth.user().hasRole(papel)) {
            return erro(Response.Status.FORBIDDEN, "Requer o papel " + CLIENTE_PAPEL + "/" + PAPEL);
        }
        return null;
    }

    private static Response erro(Response.Status status, String mensagem) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", status.getReasonPhrase(), "message", mensagem)).build();
    }
}
