package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;

/**
 * What a sign-in with an ICP-Brasil certificate tells the API: the certificate facts the {@code lum-certificado-icp}
 * authenticator left in the user-session note {@code lum.certificado-icp} (CPF of the ICP-Brasil data, issuer,
 * serial, validity, SHA-256). Read at the session's LOGIN event and removed, so the later sign-ins of other
 * applications in the same SSO session (LOGIN events too, by cookie) do not record the certificate again.
 */
final class CertificadoNoEvento {

    private static final Logger LOG = Logger.getLogger(CertificadoNoEvento.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CertificadoIcpAuthenticator.NOTA (kept as a literal: the listener does not depend on the authenticator). */
    static final String NOTA = "lum.certificado-icp";

    private CertificadoNoEvento() {
    }

    /** The facts, or null when this is not the LOGIN of a certificate sign-in. Never throws. */
    static Map<String, Object> read(KeycloakSession session, RealmModel realm, Event event) {
        if (event == null || event.getType() != EventType.LOGIN || realm == null || event.getSessionId() == null) {
            return null;
        }
        try {
            UserSessionModel userSession = session.sessions().getUserSession(realm, event.getSessionId());
            String nota = userSession == null ? null : userSession.getNote(NOTA);
            if (nota == null || nota.isBlank()) {
                return null;
            }
            userSession.removeNote(NOTA);
            return JSON.readValue(nota, new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            LOG.warnf("lum-api: event %s: could not read the certificate note (%s)", event.getId(), e.getClass().getName());
            return null;
        }
    }
}
