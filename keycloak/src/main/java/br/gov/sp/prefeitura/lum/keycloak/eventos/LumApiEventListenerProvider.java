package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Per-session listener: for the configured user event types it snapshots the user, builds the contract payload
 * and registers its delivery to happen only after the Keycloak transaction commits.
 *
 * <p>Before that, on {@code REGISTER} and {@code IDENTITY_PROVIDER_FIRST_LOGIN}, it fills the user's {@code cpf}
 * attribute from a CPF username ({@link PreencheCpfDoUsername}), inside the request transaction, so the snapshot
 * carries it. This happens whenever the listener is enabled in the realm, even without an HMAC secret and whatever
 * {@code eventTypes} says.
 *
 * <p>Runs on the request thread, so it does no I/O and never throws: the HTTP call happens later on the sender's
 * executor.
 */
public class LumApiEventListenerProvider implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(LumApiEventListenerProvider.class);

    private final KeycloakSession session;
    private final Set<EventType> eventTypes;
    private final Consumer<Delivery> dispatcher;
    private AfterCommitDelivery transaction;

    /**
     * @param dispatcher receives each delivery after commit; {@code null} disables the listener (no secret)
     */
    public LumApiEventListenerProvider(KeycloakSession session, Set<EventType> eventTypes,
                                       Consumer<Delivery> dispatcher) {
        this.session = session;
        this.eventTypes = eventTypes;
        this.dispatcher = dispatcher;
    }

    @Override
    public void onEvent(Event event) {
        if (event == null || event.getType() == null) {
            return;
        }
        boolean fillCpf = PreencheCpfDoUsername.appliesTo(event.getType());
        boolean govbr = GovbrNoEvento.appliesTo(event);
        boolean login = dispatcher != null && event.getType() == EventType.LOGIN;
        boolean forward = dispatcher != null && (eventTypes.contains(event.getType()) || govbr);
        if (!fillCpf && !forward && !login) {
            return;
        }
        try {
            // EventBuilder sets a fresh UUID as id on each send(); keep a fallback for events built elsewhere.
            String eventId = event.getId() != null && !event.getId().isBlank()
                    ? event.getId()
                    : UUID.randomUUID().toString();
            RealmModel realm = resolveRealm(event.getRealmId());
            // A certificate sign-in (lum-certificado-icp) is forwarded with its facts whatever eventTypes says.
            Map<String, Object> certificado = login ? CertificadoNoEvento.read(session, realm, event) : null;
            if (!fillCpf && !forward && certificado == null) {
                return;
            }
            UserModel user = loadUser(realm, event.getUserId(), eventId);
            if (fillCpf) {
                // Synchronously, in the request transaction, and before the snapshot below.
                PreencheCpfDoUsername.fill(user, eventId);
            }
            if (!forward && certificado == null) {
                return;
            }
            Map<String, Object> snapshot = snapshotUser(user, eventId);
            Map<String, Object> dadosGovbr = govbr ? GovbrNoEvento.read(session, realm, event) : null;
            String body = EventPayload.toJson(eventId, event, realm, snapshot, dadosGovbr, certificado);
            afterCommit().add(new Delivery(eventId, event.getType().name(), body));
        } catch (RuntimeException e) {
            LOG.errorf(e, "lum-api: could not process event %s (%s); it will not be sent", event.getId(),
                    event.getType());
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        // Admin events are outside the contract (docs/contracts.md): only user events are forwarded.
    }

    @Override
    public void close() {
        // Nothing to release: pending deliveries live in the enlisted transaction.
    }

    private AfterCommitDelivery afterCommit() {
        if (transaction == null || transaction.isCompleted()) {
            AfterCommitDelivery tx = new AfterCommitDelivery(dispatcher);
            session.getTransactionManager().enlistAfterCompletion(tx);
            transaction = tx;
        }
        return transaction;
    }

    private RealmModel resolveRealm(String realmId) {
        if (realmId == null) {
            return null;
        }
        try {
            // Lookup by id (cached by Keycloak) rather than session.getContext(): the event names its realm, and
            // the context's realm may differ (e.g. master-realm admin acting on another realm).
            return session.realms().getRealm(realmId);
        } catch (RuntimeException e) {
            LOG.warnf("lum-api: could not resolve realm %s (%s)", realmId, e.toString());
            return null;
        }
    }

    private UserModel loadUser(RealmModel realm, String userId, String eventId) {
        if (realm == null || userId == null) {
            return null;
        }
        try {
            return session.users().getUserById(realm, userId);
        } catch (RuntimeException e) {
            LOG.warnf("lum-api: could not load user %s for event %s (%s); sending user=null", userId, eventId,
                    e.toString());
            return null;
        }
    }

    private static Map<String, Object> snapshotUser(UserModel user, String eventId) {
        try {
            return EventPayload.userSnapshot(user);
        } catch (RuntimeException e) {
            LOG.warnf("lum-api: could not read the user of event %s (%s); sending user=null", eventId,
                    e.toString());
            return null;
        }
    }
}
