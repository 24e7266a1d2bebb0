package br.gov.sp.prefeitura.lum.keycloak.sincronia;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * {@code GET|PUT /realms/{realm}/lum-sincronia/usuarios/{id}}. Bearer token of the realm whose user holds
 * {@code realm-management/manage-users} (the API's service account). PUT sets only the owned attributes named in
 * the body (each attribute is its own row in Keycloak's store: nothing else of the user is written) and, when
 * {@code habilitado} is present, the enabled flag. Answers the owned attributes and the flag after the write, and
 * whether anything changed (a repeated write changes nothing).
 *
 * <p>{@code GET /realms/{realm}/lum-sincronia/usuarios/{id}/govbr}: the Gov.br id_token stored on the user's
 * {@code govbr} link (see {@link TokenGovbrArmazenado}), for the API's recovery of undelivered gov.br sign-ins;
 * 404 when the user has no such link or no stored id_token. Same bearer rule.
 */
public class SincroniaResourceProvider implements RealmResourceProvider {

    static final String ALIAS_GOVBR = "govbr";

    private final KeycloakSession session;
    private final AtributosProprios proprios;
    /** Users of this request whose record e-mail belongs to another user (not written; reported in the answer). */
    private final java.util.Set<String> emailsIgnorados = new java.util.HashSet<>();

    public SincroniaResourceProvider(KeycloakSession session, AtributosProprios proprios) {
        this.session = session;
        this.proprios = proprios;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @Override
    public void close() {
    }

    @GET
    @Path("usuarios/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ler(@PathParam("id") String id) {
        Response negado = autorizar();
        if (negado != null) {
            return negado;
        }
        UserModel user = session.users().getUserById(session.getContext().getRealm(), id);
        if (user == null) {
            return erro(Response.Status.NOT_FOUND, "Usuário não encontrado");
        }
        return Response.ok(estado(user, false)).build();
    }

    @GET
    @Path("usuarios/{id}/govbr")
    @Produces(MediaType.APPLICATION_JSON)
    public Response lerTokenGovbr(@PathParam("id") String id) {
        Response negado = autorizar();
        if (negado != null) {
            return negado;
        }
        RealmModel realm = session.getContext().getRealm();
        UserModel user = session.users().getUserById(realm, id);
        if (user == null) {
            return erro(Response.Status.NOT_FOUND, "Usuário não encontrado");
        }
        FederatedIdentityModel vinculo = session.users().getFederatedIdentity(realm, user, ALIAS_GOVBR);
        return TokenGovbrArmazenado.idToken(vinculo == null ? null : vinculo.getToken())
                .map(t -> Response.ok(Map.of("idToken", t)).build())
                .orElseGet(() -> erro(Response.Status.NOT_FOUND, "Sem id_token do gov.br armazenado para este usuário"));
    }

    @PUT
    @Path("usuarios/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response gravar(@PathParam("id") String id, Map<String, Object> corpo) {
        Response negado = autorizar();
        if (negado != null) {
            return negado;
        }
        AtributosProprios.Pedido pedido;
        try {
            pedido = proprios.validar(corpo);
        } catch (IllegalArgumentException e) {
            return erro(Response.Status.BAD_REQUEST, e.getMessage());
        }
        UserModel user = session.users().getUserById(session.getContext().getRealm(), id);
        if (user == null) {
            return erro(Response.Status.NOT_FOUND, "Usuário não encontrado");
        }
        return Response.ok(estado(user, aplicar(user, pedido))).build();
    }

    /**
     * {@code POST /realms/{realm}/lum-sincronia/usuarios/lote}: many users' writes in one request and one transaction
     * (the sync worker groups the jobs that wait while a request is in flight). The body is validated whole first
     * (400 naming the bad item, nothing written). Answers one result per item, in order: the user's state as the
     * single PUT answers it, with {@code status} 200, or {@code status} 404 for a user that does not exist (the
     * others are still written).
     */
    @POST
    @Path("usuarios/lote")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response gravarLote(Map<String, Object> corpo) {
        Response negado = autorizar();
        if (negado != null) {
            return negado;
        }
        List<AtributosProprios.ItemLote> itens;
        try {
            itens = proprios.validarLote(corpo);
        } catch (IllegalArgumentException e) {
            return erro(Response.Status.BAD_REQUEST, e.getMessage());
        }
        RealmModel realm = session.getContext().getRealm();
        List<Map<String, Object>> resultados = new ArrayList<>(itens.size());
        for (AtributosProprios.ItemLote item : itens) {
            UserModel user = session.users().getUserById(realm, item.id());
            if (user == null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", item.id());
                r.put("status", 404);
                r.put("message", "Usuário não encontrado");
                resultados.add(r);
                continue;
            }
            Map<String, Object> r = estado(user, aplicar(user, item.pedido()));
            r.put("status", 200);
            resultados.add(r);
        }
        return Response.ok(Map.of("resultados", resultados)).build();
    }

    /** Writes the request's owned attributes (null removes one) and enabled flag; true when anything changed. */
    private boolean aplicar(UserModel user, AtributosProprios.Pedido pedido) {
        boolean alterado = false;
        for (Map.Entry<String, String> e : pedido.atributos().entrySet()) {
            String atual = user.getFirstAttribute(e.getKey());
            if (e.getValue() == null) {
                if (atual != null) {
                    user.removeAttribute(e.getKey());
                    alterado = true;
                }
            } else if (!e.getValue().equals(atual) || user.getAttributeStream(e.getKey()).count() != 1) {
                user.setSingleAttribute(e.getKey(), e.getValue());
                alterado = true;
            }
        }
        if (pedido.habilitado() != null && pedido.habilitado() != user.isEnabled()) {
            user.setEnabled(pedido.habilitado());
            alterado = true;
        }
        return aplicarPerfil(user, pedido.perfil()) || alterado;
    }

    /**
     * A tied account's name and e-mail from the master record. The e-mail is skipped (and the answer says so) when
     * another user of the realm has it and the realm does not allow duplicates: Keycloak would refuse the whole write.
     */
    private boolean aplicarPerfil(UserModel user, AtributosProprios.Perfil perfil) {
        if (perfil == null) {
            return false;
        }
        boolean alterado = false;
        if (!perfil.firstName().equals(user.getFirstName())) {
            user.setFirstName(perfil.firstName());
            alterado = true;
        }
        if (perfil.lastName() != null && !perfil.lastName().equals(user.getLastName())) {
            user.setLastName(perfil.lastName());
            alterado = true;
        }
        if (perfil.email() != null) {
            String email = perfil.email().toLowerCase(java.util.Locale.ROOT);
            if (!email.equals(user.getEmail())) {
                RealmModel realm = session.getContext().getRealm();
                UserModel dono = realm.isDuplicateEmailsAllowed() ? null : session.users().getUserByEmail(realm, email);
                if (dono != null && !dono.getId().equals(user.getId())) {
                    emailsIgnorados.add(user.getId());
                } else {
                    user.setEmail(email);
                    user.setEmailVerified(Boolean.TRUE.equals(perfil.emailVerificado()));
                    alterado = true;
                }
            } else if (perfil.emailVerificado() != null && perfil.emailVerificado() != user.isEmailVerified()) {
                user.setEmailVerified(perfil.emailVerificado());
                alterado = true;
            }
        }
        return alterado;
    }

    private Map<String, Object> estado(UserModel user, boolean alterado) {
        Map<String, Object> atributos = new LinkedHashMap<>();
        for (String nome : proprios.nomes().stream().sorted().toList()) {
            atributos.put(nome, user.getFirstAttribute(nome));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", user.getId());
        r.put("atributos", atributos);
        r.put("habilitado", user.isEnabled());
        r.put("alterado", alterado);
        if (emailsIgnorados.contains(user.getId())) {
            r.put("perfilIgnorado", List.of("email"));
        }
        return r;
    }

    /** null when the caller may write; else the 401/403 answer. */
    private Response autorizar() {
        RealmModel realm = session.getContext().getRealm();
        AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm).authenticate();
        if (auth == null || auth.user() == null) {
            return erro(Response.Status.UNAUTHORIZED, "Token ausente ou inválido");
        }
        ClientModel gestao = realm.getClientByClientId("realm-management");
        RoleModel gerenciar = gestao == null ? null : gestao.getRole("manage-users");
        if (gerenciar == null || !auth.user().hasRole(gerenciar)) {
            return erro(Response.Status.FORBIDDEN, "Requer o papel realm-management/manage-users");
        }
        return null;
    }

    private static Response erro(Response.Status status, String mensagem) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", status.getReasonPhrase(), "message", mensagem)).build();
    }
}
