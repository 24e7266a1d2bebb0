package br.gov.sp.prefeitura.lum.keycloak.eventos;

import java.util.List;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Factory of the {@code lum-api} event listener. A singleton: it reads the configuration once and owns the shared
 * HTTP client and delivery executor (through {@link EventoSender}), which {@link #close()} shuts down.
 *
 * <p>Options ({@code --spi-events-listener--lum-api--<name>=<value>}): {@code url}, {@code secret},
 * {@code maxAttempts}, {@code initialBackoffMillis}, {@code timeoutMillis}, {@code eventTypes},
 * {@code queueCapacity}. Environment: {@code LUM_EVENTS_URL} (used when {@code url} is not set),
 * {@code LUM_EVENTS_HMAC_SECRET} (preferred over {@code secret}).
 */
public class LumApiEventListenerProviderFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "lum-api";

    private static final Logger LOG = Logger.getLogger(LumApiEventListenerProviderFactory.class);

    private volatile LumEventsConfig config;
    private volatile EventoSender sender;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope scope) {
        init(scope, System::getenv);
    }

    /** Same as {@link #init(Config.Scope)} with an explicit environment (tests). Never throws. */
    void init(Config.Scope scope, Function<String, String> env) {
        try {
            config = LumEventsConfig.from(scope, env);
            if (!config.hasSecret()) {
                LOG.warnf("lum-api: no HMAC secret (env %s or --spi-events-listener--lum-api--%s); "
                        + "the event listener is disabled and will send nothing", LumEventsConfig.ENV_SECRET,
                        LumEventsConfig.OPT_SECRET);
                sender = null;
            } else {
                sender = EventoSender.create(config);
                LOG.infof("lum-api: event listener configured (%s)", config);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "lum-api: could not initialise the event listener; it is disabled");
            sender = null;
        }
    }

    /** For tests: uses a ready-made sender. */
    void init(LumEventsConfig config, EventoSender sender) {
        this.config = config;
        this.sender = sender;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Nothing to do.
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        LumEventsConfig current = config;
        EventoSender currentSender = sender;
        if (current == null) {
            current = LumEventsConfig.from(null, name -> null);
        }
        return new LumApiEventListenerProvider(session, current.eventTypes(),
                currentSender == null ? null : currentSender::send);
    }

    @Override
    public void close() {
        EventoSender current = sender;
        sender = null;
        if (current != null) {
            current.close();
        }
    }

    /** Whether a secret was configured and events will be sent (for tests and diagnostics). */
    boolean isEnabled() {
        return sender != null;
    }

    LumEventsConfig config() {
        return config;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(LumEventsConfig.OPT_URL).type(ProviderConfigProperty.STRING_TYPE)
                .label("API URL")
                .helpText("Webhook URL of the master-data API; falls back to env " + LumEventsConfig.ENV_URL)
                .defaultValue(LumEventsConfig.DEFAULT_URL).add()
                .property().name(LumEventsConfig.OPT_SECRET).type(ProviderConfigProperty.PASSWORD)
                .label("HMAC secret").secret(true)
                .helpText("HMAC-SHA256 secret; env " + LumEventsConfig.ENV_SECRET + " takes precedence. "
                        + "Without a secret nothing is sent.").add()
                .property().name(LumEventsConfig.OPT_MAX_ATTEMPTS).type(ProviderConfigProperty.INTEGER_TYPE)
                .label("Max attempts").helpText("HTTP attempts per event, first one included")
                .defaultValue(LumEventsConfig.DEFAULT_MAX_ATTEMPTS).add()
                .property().name(LumEventsConfig.OPT_INITIAL_BACKOFF).type(ProviderConfigProperty.INTEGER_TYPE)
                .label("Initial backoff (ms)").helpText("Delay before the 2nd attempt; doubled each time, max 30 s")
                .defaultValue((int) LumEventsConfig.DEFAULT_INITIAL_BACKOFF_MILLIS).add()
                .property().name(LumEventsConfig.OPT_TIMEOUT).type(ProviderConfigProperty.INTEGER_TYPE)
                .label("Timeout (ms)").helpText("Connect and request timeout of one attempt")
                .defaultValue((int) LumEventsConfig.DEFAULT_TIMEOUT_MILLIS).add()
                .property().name(LumEventsConfig.OPT_EVENT_TYPES).type(ProviderConfigProperty.STRING_TYPE)
                .label("Event types").helpText("Comma-separated Keycloak user event types to forward")
                .defaultValue(LumEventsConfig.DEFAULT_EVENT_TYPES).add()
                .property().name(LumEventsConfig.OPT_QUEUE_CAPACITY).type(ProviderConfigProperty.INTEGER_TYPE)
                .label("Queue capacity").helpText("Max deliveries in flight; beyond it new events are dropped")
                .defaultValue(LumEventsConfig.DEFAULT_QUEUE_CAPACITY).add()
                .build();
    }
}
