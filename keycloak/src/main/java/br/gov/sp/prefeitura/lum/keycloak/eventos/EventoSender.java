package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Delivers signed event payloads to the API, off the request thread.
 *
 * <p>Each {@link Delivery} is attempted on a small scheduled executor. Per attempt the timestamp is taken at send
 * time and the body is signed ({@link HmacSigner}). Outcome per response:
 * <ul>
 *     <li>2xx or 409 (already received) → delivered;</li>
 *     <li>5xx, {@link IOException} (connection refused, reset, timeout) → retried after
 *     {@code initialBackoff * 2^(attempt-1)} ms (capped at 30 s), up to {@code maxAttempts} attempts in all;</li>
 *     <li>any other status (400, 401, 3xx…) → logged at WARN, not retried.</li>
 * </ul>
 * Retries are scheduled on the executor, never slept on a thread. At most {@code queueCapacity} deliveries are in
 * flight (waiting, running or waiting to retry); beyond that new ones are dropped with a WARN.
 *
 * <p>Usable without Keycloak (only jboss-logging and the JDK).
 */
public final class EventoSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventoSender.class);

    public static final String HEADER_EVENT_ID = "X-LUM-Event-Id";
    public static final String HEADER_TIMESTAMP = "X-LUM-Timestamp";
    public static final String HEADER_SIGNATURE = "X-LUM-Signature";

    static final int THREADS = 2;

    private final HttpClient client;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final HmacSigner signer;
    private final URI url;
    private final int maxAttempts;
    private final long initialBackoffMillis;
    private final Duration timeout;
    private final int queueCapacity;
    private final LongSupplier epochSeconds;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * Full constructor (tests). The executor is owned: {@link #close()} shuts it down.
     */
    public EventoSender(LumEventsConfig config, HttpClient client, ScheduledExecutorService executor,
                        LongSupplier epochSeconds) {
        this(config, client, executor, true, epochSeconds);
    }

    private EventoSender(LumEventsConfig config, HttpClient client, ScheduledExecutorService executor,
                         boolean ownsExecutor, LongSupplier epochSeconds) {
        Objects.requireNonNull(config, "config");
        if (!config.hasSecret()) {
            throw new IllegalArgumentException("an HMAC secret is required to send events");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.ownsExecutor = ownsExecutor;
        this.epochSeconds = Objects.requireNonNull(epochSeconds, "epochSeconds");
        this.signer = new HmacSigner(config.secret());
        this.url = config.url();
        this.maxAttempts = Math.max(1, config.maxAttempts());
        this.initialBackoffMillis = Math.max(0, config.initialBackoffMillis());
        this.timeout = config.timeout();
        this.queueCapacity = Math.max(1, config.queueCapacity());
    }

    /** Production instance: its own HTTP client and a 2-thread daemon scheduler. */
    public static EventoSender create(LumEventsConfig config) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.timeout())
                .build();
        return new EventoSender(config, client, newExecutor(), () -> System.currentTimeMillis() / 1000L);
    }

    static ScheduledThreadPoolExecutor newExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "lum-events-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(THREADS, threads);
        executor.setRemoveOnCancelPolicy(true);
        // On shutdown, pending retries are abandoned instead of delaying the server stop.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        return executor;
    }

    /**
     * Queues a delivery. Never blocks and never throws; the returned future completes (normally) with the final
     * outcome once the delivery is over.
     */
    public CompletableFuture<DeliveryResult> send(Delivery delivery) {
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        if (inFlight.incrementAndGet() > queueCapacity) {
            inFlight.decrementAndGet();
            LOG.warnf("lum-api: delivery queue full (%d in flight); event %s (%s) dropped", queueCapacity,
                    delivery.eventId(), delivery.eventType());
            result.complete(new DeliveryResult(DeliveryResult.Status.DROPPED, 0, -1));
            return result;
        }
        schedule(delivery, 1, 0, result);
        return result;
    }

    /** Deliveries accepted and not finished yet. */
    public int inFlight() {
        return inFlight.get();
    }

    private void schedule(Delivery delivery, int attempt, long delayMillis, CompletableFuture<DeliveryResult> result) {
        try {
            executor.schedule(() -> attempt(delivery, attempt, result), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warnf("lum-api: sender is shut down; event %s (%s) dropped before attempt %d", delivery.eventId(),
                    delivery.eventType(), attempt);
            finish(result, new DeliveryResult(DeliveryResult.Status.DROPPED, attempt - 1, -1));
        }
    }

    private void attempt(Delivery delivery, int attempt, CompletableFuture<DeliveryResult> result) {
        try {
            String timestamp = Long.toString(epochSeconds.getAsLong());
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header(HEADER_EVENT_ID, delivery.eventId())
                    .header(HEADER_TIMESTAMP, timestamp)
                    .header(HEADER_SIGNATURE, signer.signatureHeader(timestamp, delivery.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if ((status >= 200 && status < 300) || status == 409) {
                if (attempt > 1) {
                    LOG.infof("lum-api: event %s (%s) delivered on attempt %d (HTTP %d)", delivery.eventId(),
                            delivery.eventType(), attempt, status);
                } else {
                    LOG.debugf("lum-api: event %s (%s) delivered (HTTP %d)", delivery.eventId(),
                            delivery.eventType(), status);
                }
                finish(result, new DeliveryResult(DeliveryResult.Status.DELIVERED, attempt, status));
            } else if (status >= 500 && status < 600) {
                retryOrGiveUp(delivery, attempt, status, "HTTP " + status, result);
            } else {
                LOG.warnf("lum-api: event %s (%s) rejected by %s with HTTP %d%s; not retried", delivery.eventId(),
                        delivery.eventType(), url, status,
                        status == 401 ? " (signature or clock mismatch: check LUM_EVENTS_HMAC_SECRET on both sides)" : "");
                finish(result, new DeliveryResult(DeliveryResult.Status.REJECTED, attempt, status));
            }
        } catch (HttpTimeoutException e) {
            retryOrGiveUp(delivery, attempt, -1, "timeout after " + timeout.toMillis() + " ms", result);
        } catch (IOException e) {
            retryOrGiveUp(delivery, attempt, -1, e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""), result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("lum-api: interrupted while sending event %s (%s); dropped", delivery.eventId(),
                    delivery.eventType());
            finish(result, new DeliveryResult(DeliveryResult.Status.DROPPED, attempt, -1));
        } catch (RuntimeException e) {
            LOG.errorf(e, "lum-api: unexpected error sending event %s (%s); dropped", delivery.eventId(),
                    delivery.eventType());
            finish(result, new DeliveryResult(DeliveryResult.Status.GAVE_UP, attempt, -1));
        }
    }

    private void retryOrGiveUp(Delivery delivery, int attempt, int status, String reason,
                               CompletableFuture<DeliveryResult> result) {
        if (attempt >= maxAttempts) {
            LOG.errorf("lum-api: giving up on event %s (%s) after %d attempts; last error: %s", delivery.eventId(),
                    delivery.eventType(), attempt, reason);
            finish(result, new DeliveryResult(DeliveryResult.Status.GAVE_UP, attempt, status));
            return;
        }
        long delay = backoffMillis(initialBackoffMillis, attempt);
        LOG.infof("lum-api: attempt %d/%d for event %s (%s) failed (%s); retrying in %d ms", attempt, maxAttempts,
                delivery.eventId(), delivery.eventType(), reason, delay);
        schedule(delivery, attempt + 1, delay, result);
    }

    /** Delay before the attempt following {@code failedAttempt} (1-based): initial * 2^(failedAttempt-1), ≤ 30 s. */
    static long backoffMillis(long initialMillis, int failedAttempt) {
        int shift = Math.max(0, failedAttempt - 1);
        if (initialMillis <= 0) {
            return 0;
        }
        if (shift >= 31 || initialMillis >= LumEventsConfig.MAX_BACKOFF_MILLIS) {
            return LumEventsConfig.MAX_BACKOFF_MILLIS;
        }
        // initialMillis < 30 000 < 2^15 and shift <= 30: the product stays below 2^45, no overflow.
        return Math.min(initialMillis << shift, LumEventsConfig.MAX_BACKOFF_MILLIS);
    }

    private void finish(CompletableFuture<DeliveryResult> result, DeliveryResult outcome) {
        inFlight.decrementAndGet();
        result.complete(outcome);
    }

    /**
     * Stops the executor: running attempts get a short grace period, pending retries are abandoned (logged).
     * The JDK 17 {@link HttpClient} has no close(); its threads end once it is unreachable.
     */
    @Override
    public void close() {
        if (!ownsExecutor) {
            return;
        }
        executor.shutdown();
        try {
            long graceMillis = Math.min(timeout.toMillis() + 1000, 10_000);
            if (!executor.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        int abandoned = inFlight.get();
        if (abandoned > 0) {
            LOG.warnf("lum-api: sender closed with %d event deliveries not completed; they are dropped", abandoned);
        }
    }
}
