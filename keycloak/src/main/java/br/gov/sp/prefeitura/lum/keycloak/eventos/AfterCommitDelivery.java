package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakTransaction;

/**
 * After-completion transaction holding the deliveries produced during one Keycloak request.
 *
 * <p>Enlisted with {@code KeycloakTransactionManager.enlistAfterCompletion}: the manager calls {@link #commit()}
 * only after the main transactions committed, and {@link #rollback()} otherwise. Commit hands each delivery to the
 * dispatcher (which only queues it: no I/O on the request thread); rollback drops them. Neither method throws.
 */
final class AfterCommitDelivery implements KeycloakTransaction {

    private static final Logger LOG = Logger.getLogger(AfterCommitDelivery.class);

    private final Consumer<Delivery> dispatcher;
    private final List<Delivery> pending = new ArrayList<>();
    private boolean active;
    private boolean rollbackOnly;
    private boolean completed;

    AfterCommitDelivery(Consumer<Delivery> dispatcher) {
        this.dispatcher = dispatcher;
    }

    void add(Delivery delivery) {
        if (completed) {
            // Too late for this request's transaction: the event would never be flushed. Should not happen.
            LOG.warnf("lum-api: event %s (%s) arrived after transaction completion; dropped", delivery.eventId(),
                    delivery.eventType());
            return;
        }
        pending.add(delivery);
    }

    boolean isCompleted() {
        return completed;
    }

    int size() {
        return pending.size();
    }

    @Override
    public void begin() {
        active = true;
    }

    @Override
    public void commit() {
        if (completed) {
            return;
        }
        completed = true;
        active = false;
        if (rollbackOnly) {
            drop("transaction marked rollback-only");
            return;
        }
        for (Delivery delivery : pending) {
            try {
                dispatcher.accept(delivery);
            } catch (RuntimeException e) {
                LOG.errorf(e, "lum-api: could not queue event %s (%s)", delivery.eventId(), delivery.eventType());
            }
        }
        pending.clear();
    }

    @Override
    public void rollback() {
        if (completed) {
            return;
        }
        completed = true;
        active = false;
        drop("transaction rolled back");
    }

    private void drop(String why) {
        if (!pending.isEmpty()) {
            LOG.debugf("lum-api: %s; %d event(s) not sent", why, pending.size());
        }
        pending.clear();
    }

    @Override
    public void setRollbackOnly() {
        rollbackOnly = true;
    }

    @Override
    public boolean getRollbackOnly() {
        return rollbackOnly;
    }

    @Override
    public boolean isActive() {
        return active;
    }
}
