package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.events.Event;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Builds the JSON body of the webhook exactly as docs/contracts.md describes:
 *
 * <pre>
 * { "id", "type", "realm", "realmId", "clientId", "userId", "time", "ipAddress", "details": {...},
 *   "user": { "username", "email", "emailVerified", "firstName", "lastName", "attributes": { "cpf": [...] } } | null }
 * </pre>
 *
 * Every key is always present (value {@code null} when unknown); {@code details} is {@code {}} when the event has
 * none; {@code attributes} only carries {@code cpf}, and only when the user has it.
 */
public final class EventPayload {

    public static final String CPF_ATTRIBUTE = "cpf";

    /** Plain mapper (nulls included), thread-safe once configured. Jackson comes from Keycloak's runtime. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventPayload() {
    }

    /** Copy of the user's fields taken inside the request, so later changes to the model cannot leak in. */
    public static Map<String, Object> userSnapshot(UserModel user) {
        if (user == null) {
            return null;
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("username", user.getUsername());
        snapshot.put("email", user.getEmail());
        // Whether Keycloak has verified the e-mail (link clicked): the API records it as the e-mail's evidence.
        snapshot.put("emailVerified", user.isEmailVerified());
        snapshot.put("firstName", user.getFirstName());
        snapshot.put("lastName", user.getLastName());
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        Stream<String> values = user.getAttributeStream(CPF_ATTRIBUTE);
        List<String> cpf = values == null ? List.of() : values.collect(Collectors.toList());
        if (!cpf.isEmpty()) {
            attributes.put(CPF_ATTRIBUTE, cpf);
        }
        snapshot.put("attributes", attributes);
        return snapshot;
    }

    /**
     * @param eventId   id to put in the body (the same one goes into the X-LUM-Event-Id header)
     * @param event     the Keycloak event (read now: EventBuilder reuses and mutates its instance)
     * @param realm     the event's realm, used when the event lacks a realm name; may be null
     * @param userSnapshot result of {@link #userSnapshot(UserModel)}; null when the user is gone (e.g. DELETE_ACCOUNT)
     */
    public static String toJson(String eventId, Event event, RealmModel realm, Map<String, Object> userSnapshot) {
        return toJson(eventId, event, realm, userSnapshot, null);
    }

    /**
     * As above, plus a {@code "govbr"} member (sign-ins through the gov.br identity provider, {@link GovbrNoEvento})
     * when {@code govbr} is not null; absent otherwise.
     */
    public static String toJson(String eventId, Event event, RealmModel realm, Map<String, Object> userSnapshot,
                                Map<String, Object> govbr) {
        return toJson(eventId, event, realm, userSnapshot, govbr, null);
    }

    /**
     * As above, plus a {@code "certificadoIcp"} member (a sign-in with an ICP-Brasil certificate,
     * {@link CertificadoNoEvento}) when {@code certificadoIcp} is not null; absent otherwise.
     */
    public static String toJson(String eventId, Event event, RealmModel realm, Map<String, Object> userSnapshot,
                                Map<String, Object> govbr, Map<String, Object> certificadoIcp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", eventId);
        body.put("type", event.getType() == null ? null : event.getType().name());
        String realmName = event.getRealmName();
        if ((realmName == null || realmName.isEmpty()) && realm != null) {
            realmName = realm.getName();
        }
        body.put("realm", realmName);
        body.put("realmId", event.getRealmId());
        body.put("clientId", event.getClientId());
        body.put("userId", event.getUserId());
        body.put("time", event.getTime());
        body.put("ipAddress", event.getIpAddress());
        body.put("details", event.getDetails() == null ? Map.of() : new TreeMap<>(event.getDetails()));
        body.put("user", userSnapshot);
        if (govbr != null) {
            body.put("govbr", govbr);
        }
        if (certificadoIcp != null) {
            body.put("certificadoIcp", certificadoIcp);
        }
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            // Only strings, numbers, lists and maps go in: serialization cannot fail in practice.
            throw new IllegalStateException("could not serialize event " + eventId, e);
        }
    }
}
