package br.gov.sp.prefeitura.lum.keycloak.govbr;

import br.gov.sp.prefeitura.lum.keycloak.validacao.Cpf;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * First gov.br login, existing-account branch: lets the link go on only when the account Keycloak found is the one
 * whose username is the CPF Gov.br asserted (the username template mapper makes the brokered username = {@code sub}).
 *
 * <p>Keycloak's duplicate check ({@code idp-create-user-if-unique}) looks for an account with the brokered e-mail
 * first and only then for one with the brokered username, and records which in the auth note
 * {@code EXISTING_USER_INFO}. An account found by e-mail has another CPF: linking it would tie that CPF's account to
 * someone else's gov.br identity, so the flow stops here with a pt-BR page (docs/govbr.md, "Linking rule").
 */
public class MesmoCpfAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(MesmoCpfAuthenticator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** AbstractIdpAuthenticator.EXISTING_USER_INFO (keycloak-services, not on this module's classpath). */
    static final String EXISTING_USER_INFO = "EXISTING_USER_INFO";
    static final String MENSAGEM = "lumGovbrContaDeOutroCpf";

    /** Whether the note names an account found by its username, that username being a valid CPF. */
    static boolean mesmoCpf(String existingUserInfo, UserLookup lookup) {
        if (existingUserInfo == null) {
            return false;
        }
        try {
            JsonNode info = JSON.readTree(existingUserInfo);
            String atributo = info.path("duplicateAttributeName").asText(null);
            String valor = info.path("duplicateAttributeValue").asText(null);
            String id = info.path("existingUserId").asText(null);
            if (!"username".equals(atributo) || !Cpf.isValid(valor) || id == null) {
                return false;
            }
            String username = lookup.usernameOf(id);
            return valor.equals(username);
        } catch (Exception e) {
            LOG.warnf("lum-govbr: unreadable %s (%s); link refused", EXISTING_USER_INFO, e.getClass().getName());
            return false;
        }
    }

    /** The username of a user id (null if gone). */
    @FunctionalInterface
    interface UserLookup {
        String usernameOf(String userId);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        String nota = context.getAuthenticationSession().getAuthNote(EXISTING_USER_INFO);
        boolean ok = mesmoCpf(nota, id -> {
            UserModel u = session.users().getUserById(realm, id);
            return u == null ? null : u.getUsername();
        });
        if (ok) {
            context.success();
            return;
        }
        Response pagina = context.form().setError(MENSAGEM).createErrorPage(Response.Status.CONFLICT);
        context.failureChallenge(AuthenticationFlowError.USER_CONFLICT, pagina);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        authenticate(context);
    }

    @Override
    public boolean requiresUser() {
        return false;
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
        // stateless
    }

}
