package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventType;

/**
 * Immutable configuration of the {@code lum-api} event listener, read once from the SPI scope
 * ({@code --spi-events-listener--lum-api--<option>}) and the process environment.
 *
 * <p>Invalid values never fail the server start: they are logged at WARN and replaced by the default.
 */
public final class LumEventsConfig {

    private static final Logger LOG = Logger.getLogger(LumEventsConfig.class);

    public static final String OPT_URL = "url";
    public static final String OPT_SECRET = "secret";
    public static final String OPT_MAX_ATTEMPTS = "maxAttempts";
    public static final String OPT_INITIAL_BACKOFF = "initialBackoffMillis";
    public static final String OPT_TIMEOUT = "timeoutMillis";
    public static final String OPT_EVENT_TYPES = "eventTypes";
    public static final String OPT_QUEUE_CAPACITY = "queueCapacity";

    public static final String ENV_URL = "LUM_EVENTS_URL";
    public static final String ENV_SECRET = "LUM_EVENTS_HMAC_SECRET";

    public static final String DEFAULT_URL = "http://127.0.0.1:3000/eventos/keycloak";
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final long DEFAULT_INITIAL_BACKOFF_MILLIS = 500;
    public static final long DEFAULT_TIMEOUT_MILLIS = 5000;
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    public static final String DEFAULT_EVENT_TYPES = "REGISTER,UPDATE_PROFILE,UPDATE_EMAIL,VERIFY_EMAIL,DELETE_ACCOUNT,IDENTITY_PROVIDER_FIRST_LOGIN";
    /** Upper bound of a single backoff delay. */
    public static final long MAX_BACKOFF_MILLIS = 30_000;

    private final URI url;
    private final String secret;
    private final int maxAttempts;
    private final long initialBackoffMillis;
    private final Duration timeout;
    private final int queueCapacity;
    private final Set<EventType> eventTypes;

    public LumEventsConfig(URI url, String secret, int maxAttempts, long initialBackoffMillis, Duration timeout,
                           int queueCapacity, Set<EventType> eventTypes) {
        this.url = url;
        this.secret = secret;
        this.maxAttempts = maxAttempts;
        this.initialBackoffMillis = initialBackoffMillis;
        this.timeout = timeout;
        this.queueCapacity = queueCapacity;
        this.eventTypes = eventTypes.isEmpty()
                ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(eventTypes));
    }

    /** Reads the configuration; {@code env} is {@code System::getenv} in production. */
    public static LumEventsConfig from(Config.Scope scope, Function<String, String> env) {
        String urlText = firstNonBlank(get(scope, OPT_URL), env.apply(ENV_URL), DEFAULT_URL);
        URI url;
        try {
            url = URI.create(urlText.trim());
            if (url.getScheme() == null || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException("scheme must be http or https");
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("lum-api: invalid url '%s' (%s); using %s", urlText, e.getMessage(), DEFAULT_URL);
            url = URI.create(DEFAULT_URL);
        }
        // The environment wins for the secret: it keeps the value out of command lines and conf files.
        String secret = firstNonBlank(env.apply(ENV_SECRET), get(scope, OPT_SECRET), null);
        int maxAttempts = (int) positive(scope, OPT_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1);
        long backoff = positive(scope, OPT_INITIAL_BACKOFF, DEFAULT_INITIAL_BACKOFF_MILLIS, 0);
        long timeoutMillis = positive(scope, OPT_TIMEOUT, DEFAULT_TIMEOUT_MILLIS, 1);
        int queueCapacity = (int) positive(scope, OPT_QUEUE_CAPACITY, DEFAULT_QUEUE_CAPACITY, 1);
        Set<EventType> types = parseEventTypes(firstNonBlank(get(scope, OPT_EVENT_TYPES), null, DEFAULT_EVENT_TYPES));
        return new LumEventsConfig(url, secret, maxAttempts, backoff, Duration.ofMillis(timeoutMillis), queueCapacity,
                types);
    }

    static Set<EventType> parseEventTypes(String csv) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String raw : csv.split("[,\\s]+")) {
            String name = raw.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                types.add(EventType.valueOf(name));
            } catch (IllegalArgumentException e) {
                LOG.warnf("lum-api: unknown event type '%s' in %s ignored", raw, OPT_EVENT_TYPES);
            }
        }
        return types;
    }

    private static String get(Config.Scope scope, String name) {
        if (scope == null) {
            return null;
        }
        try {
            return scope.get(name);
        } catch (RuntimeException e) {
            LOG.warnf("lum-api: could not read option %s (%s)", name, e.getMessage());
            return null;
        }
    }

    private static long positive(Config.Scope scope, String name, long defaultValue, long min) {
        String text = get(scope, name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value < min || value > Integer.MAX_VALUE) {
                throw new NumberFormatException("out of range");
            }
            return value;
        } catch (NumberFormatException e) {
            LOG.warnf("lum-api: invalid %s '%s'; using %d", name, text, defaultValue);
            return defaultValue;
        }
    }

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return fallback;
    }

    public URI url() {
        return url;
    }

    /** The HMAC secret, or {@code null} when none is configured (then nothing is sent). Never log it. */
    public String secret() {
        return secret;
    }

    public boolean hasSecret() {
        return secret != null && !secret.isEmpty();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public long initialBackoffMillis() {
        return initialBackoffMillis;
    }

    public Duration timeout() {
        return timeout;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public Set<EventType> eventTypes() {
        return eventTypes;
    }

    @Override
    public String toString() {
        return "url=" + url + ", secret=" + (hasSecret() ? "(set)" : "(missing)") + ", maxAttempts=" + maxAttempts
                + ", initialBackoffMillis=" + initialBackoffMillis + ", timeoutMillis=" + timeout.toMillis()
                + ", queueCapacity=" + queueCapacity + ", eventTypes=" + eventTypes;
    }
}
