package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import br.gov.sp.prefeitura.lum.keycloak.validacao.Cpf;
import org.jboss.logging.Logger;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

/**
 * Fills the {@code cpf} attribute from the username, which in this realm IS the citizen's CPF.
 *
 * <p>Runs synchronously inside {@code onEvent} for {@link #EVENT_TYPES}, i.e. inside the request's transaction
 * ({@code EventBuilder.success()} calls the listeners on the request session), so the write commits or rolls back
 * with the registration itself, and it happens before the webhook snapshot is taken: the delivered
 * {@code user.attributes.cpf} carries the value.
 *
 * <p>Rules: only when the username is a valid CPF ({@link Cpf#isValid}: 11 digits, check digits right) and the user
 * has no non-blank {@code cpf} value yet; an existing value is never overwritten, even if it differs. The write goes
 * straight to the {@link UserModel} (no user-profile permission check: {@code cpf} is admin-only for users, and this
 * is server code). Never throws; outcomes are logged at DEBUG, an unexpected failure at WARN — with the user id only,
 * never the CPF.
 */
final class PreencheCpfDoUsername {

    private static final Logger LOG = Logger.getLogger(PreencheCpfDoUsername.class);

    /** Events after which the user may exist without a {@code cpf} attribute. */
    static final Set<EventType> EVENT_TYPES = EnumSet.of(EventType.REGISTER, EventType.IDENTITY_PROVIDER_FIRST_LOGIN);

    private PreencheCpfDoUsername() {
    }

    static boolean appliesTo(EventType type) {
        return type != null && EVENT_TYPES.contains(type);
    }

    /**
     * @param user    the event's user, loaded from the request session; {@code null} does nothing
     * @param eventId for the logs
     * @return whether the attribute was set
     */
    static boolean fill(UserModel user, String eventId) {
        if (user == null) {
            return false;
        }
        try {
            String username = user.getUsername();
            if (!Cpf.isValid(username)) {
                LOG.debugf("lum-api: event %s: username of user %s is not a valid CPF; attribute cpf left alone",
                        eventId, user.getId());
                return false;
            }
            if (hasCpf(user)) {
                LOG.debugf("lum-api: event %s: user %s already has attribute cpf; left unchanged", eventId,
                        user.getId());
                return false;
            }
            user.setSingleAttribute(EventPayload.CPF_ATTRIBUTE, username);
            LOG.debugf("lum-api: event %s: attribute cpf of user %s set from the username", eventId, user.getId());
            return true;
        } catch (RuntimeException e) {
            // Class name only: a persistence exception's message could quote the value (a CPF).
            LOG.warnf("lum-api: event %s: could not fill attribute cpf of user %s (%s)", eventId, safeId(user),
                    e.getClass().getName());
            return false;
        }
    }

    private static boolean hasCpf(UserModel user) {
        Stream<String> values = user.getAttributeStream(EventPayload.CPF_ATTRIBUTE);
        return values != null && values.anyMatch(v -> v != null && !v.isBlank());
    }

    private static String safeId(UserModel user) {
        try {
            return user.getId();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
