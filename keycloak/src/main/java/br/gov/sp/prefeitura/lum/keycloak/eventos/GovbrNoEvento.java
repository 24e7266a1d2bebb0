package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;

/**
 * What a sign-in through the {@code govbr} identity provider tells the API: the id_token Gov.br issued (signed by
 * Gov.br; the API verifies it against Gov.br's keys and reads {@code sub}, {@code amr} and {@code reliability_info}
 * from it — docs/govbr.md).
 *
 * <p>Applies to {@code LOGIN} and {@code IDENTITY_PROVIDER_FIRST_LOGIN} events whose {@code identity_provider}
 * detail is {@code govbr}; such events are forwarded whatever {@code eventTypes} says. The token is the user
 * session's note {@code FEDERATED_ID_TOKEN}, which Keycloak's OIDC broker keeps for the logout's
 * {@code id_token_hint}; an event without a user session (or without the note) carries no token.
 */
final class GovbrNoEvento {

    private static final Logger LOG = Logger.getLogger(GovbrNoEvento.class);

    static final String ALIAS = "govbr";
    static final String DETAIL_IDENTITY_PROVIDER = "identity_provider";
    /** OIDCIdentityProvider.FEDERATED_ID_TOKEN (keycloak-services, not on this module's classpath). */
    static final String NOTE_ID_TOKEN = "FEDERATED_ID_TOKEN";

    private GovbrNoEvento() {
    }

    static boolean appliesTo(Event event) {
        if (event == null || event.getType() == null) {
            return false;
        }
        if (event.getType() != EventType.LOGIN && event.getType() != EventType.IDENTITY_PROVIDER_FIRST_LOGIN) {
            return false;
        }
        Map<String, String> details = event.getDetails();
        return details != null && ALIAS.equals(details.get(DETAIL_IDENTITY_PROVIDER));
    }

    /** {@code {"idToken": "<jwt>"}}, or {@code {}} when the session or its note is missing. Never throws. */
    static Map<String, Object> read(KeycloakSession session, RealmModel realm, Event event) {
        Map<String, Object> govbr = new LinkedHashMap<>();
        try {
            String sessionId = event.getSessionId();
            if (realm == null || sessionId == null) {
                return govbr;
            }
            UserSessionModel userSession = session.sessions().getUserSession(realm, sessionId);
            String idToken = userSession == null ? null : userSession.getNote(NOTE_ID_TOKEN);
            if (idToken != null && !idToken.isBlank()) {
                govbr.put("idToken", idToken);
            }
        } catch (RuntimeException e) {
            LOG.warnf("lum-api: event %s: could not read the gov.br id_token (%s)", event.getId(), e.getClass().getName());
        }
        return govbr;
    }
}
