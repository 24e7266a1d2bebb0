package br.gov.sp.prefeitura.lum.keycloak.eventos;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

class LumApiEventListenerProviderFactoryTest {

    private final LumApiEventListenerProviderFactory factory = new LumApiEventListenerProviderFactory();

    @AfterEach
    void close() {
        factory.close();
    }

    /** Config.Scope backed by a map, like Keycloak's for --spi-events-listener--lum-api--* options. */
    private static Config.Scope scope(Map<String, String> values) {
        return new Config.Scope() {
            @Override
            public String get(String key) {
                return values.get(key);
            }

            @Override
            public String get(String key, String defaultValue) {
                return values.getOrDefault(key, defaultValue);
            }

            @Override
            public String[] getArray(String key) {
                String v = values.get(key);
                return v == null ? null : v.split(",");
            }

            @Override
            public Integer getInt(String key, Integer defaultValue) {
                String v = values.get(key);
                return v == null ? defaultValue : Integer.valueOf(v);
            }

            @Override
            public Long getLong(String key, Long defaultValue) {
                String v = values.get(key);
                return v == null ? defaultValue : Long.valueOf(v);
            }

            @Override
            public Boolean getBoolean(String key, Boolean defaultValue) {
                String v = values.get(key);
                return v == null ? defaultValue : Boolean.valueOf(v);
            }

            @Override
            public Config.Scope scope(String... scope) {
                return LumApiEventListenerProviderFactoryTest.scope(Map.of());
            }

            @Override
            public Set<String> getPropertyNames() {
                return values.keySet();
            }

            @Override
            public Config.Scope root() {
                return this;
            }
        };
    }

    @Test
    void givenServiceFile_whenServiceLoaderRuns_thenFactoryIsFoundUnderIdLumApi() {
        List<EventListenerProviderFactory> found = ServiceLoader.load(EventListenerProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f instanceof LumApiEventListenerProviderFactory)
                .collect(Collectors.toList());

        assertEquals(1, found.size());
        assertEquals("lum-api", found.get(0).getId());
    }

    @Test
    void givenNothingConfigured_whenInit_thenContractDefaultsAndListenerDisabledWithoutFailing() {
        assertDoesNotThrow(() -> factory.init(scope(Map.of()), name -> null));

        LumEventsConfig config = factory.config();
        assertEquals(URI.create("http://127.0.0.1:3000/eventos/keycloak"), config.url());
        assertEquals(5, config.maxAttempts());
        assertEquals(500, config.initialBackoffMillis());
        assertEquals(5000, config.timeout().toMillis());
        assertEquals(EnumSet.of(EventType.REGISTER, EventType.UPDATE_PROFILE, EventType.UPDATE_EMAIL,
                EventType.VERIFY_EMAIL, EventType.DELETE_ACCOUNT, EventType.IDENTITY_PROVIDER_FIRST_LOGIN),
                config.eventTypes());
        assertFalse(config.hasSecret());
        assertFalse(factory.isEnabled());
    }

    @Test
    void givenNoSecret_whenProviderReceivesForwardedEvent_thenNothingIsEnlisted() {
        factory.init(scope(Map.of()), name -> null);
        KeycloakSession session = mock(KeycloakSession.class);
        Event event = new Event();
        event.setType(EventType.UPDATE_PROFILE);
        event.setRealmId("r");
        event.setUserId("u");

        factory.create(session).onEvent(event);
        // REGISTER still fills the cpf attribute (it looks the user up) but enlists nothing either.
        event.setType(EventType.REGISTER);
        factory.create(session).onEvent(event);

        verify(session, never()).getTransactionManager();
    }

    @Test
    void givenSecretInEnvAndSpiOption_whenInit_thenEnvironmentWinsAndListenerEnabled() {
        factory.init(scope(Map.of("secret", "from-spi")), Map.of("LUM_EVENTS_HMAC_SECRET", "from-env")::get);

        assertEquals("from-env", factory.config().secret());
        assertTrue(factory.isEnabled());
        assertInstanceOf(LumApiEventListenerProvider.class, factory.create(mock(KeycloakSession.class)));
    }

    @Test
    void givenSecretOnlyAsSpiOption_whenInit_thenItIsUsed() {
        factory.init(scope(Map.of("secret", "from-spi")), name -> null);

        assertEquals("from-spi", factory.config().secret());
        assertTrue(factory.isEnabled());
    }

    @Test
    void givenUrlInSpiOptionAndEnv_whenInit_thenSpiOptionWins() {
        factory.init(scope(Map.of("url", "http://api.internal:3000/eventos/keycloak")),
                Map.of("LUM_EVENTS_URL", "http://from-env:1/x")::get);

        assertEquals(URI.create("http://api.internal:3000/eventos/keycloak"), factory.config().url());
    }

    @Test
    void givenUrlOnlyInEnv_whenInit_thenEnvIsUsed() {
        factory.init(scope(Map.of()), Map.of("LUM_EVENTS_URL", "http://from-env:1/x")::get);

        assertEquals(URI.create("http://from-env:1/x"), factory.config().url());
    }

    @Test
    void givenCustomAndInvalidValues_whenInit_thenValidOnesAppliedInvalidOnesFallBackToDefaults() {
        factory.init(scope(Map.of(
                "maxAttempts", "3",
                "initialBackoffMillis", "abc",
                "timeoutMillis", "-1",
                "eventTypes", "register, LOGIN ,NOT_A_TYPE",
                "url", "ftp://nope")), name -> null);

        LumEventsConfig config = factory.config();
        assertEquals(3, config.maxAttempts());
        assertEquals(500, config.initialBackoffMillis());
        assertEquals(5000, config.timeout().toMillis());
        assertEquals(EnumSet.of(EventType.REGISTER, EventType.LOGIN), config.eventTypes());
        assertEquals(URI.create(LumEventsConfig.DEFAULT_URL), config.url());
    }

    @Test
    void givenConfig_whenToString_thenSecretIsNotExposed() {
        factory.init(scope(Map.of()), Map.of("LUM_EVENTS_HMAC_SECRET", "very-secret-value")::get);

        assertFalse(factory.config().toString().contains("very-secret-value"));
    }

    @Test
    void givenFactory_whenConfigMetadata_thenDescribesEveryOption() {
        Set<String> names = factory.getConfigMetadata().stream().map(ProviderConfigProperty::getName)
                .collect(Collectors.toSet());

        assertEquals(Set.of("url", "secret", "maxAttempts", "initialBackoffMillis", "timeoutMillis", "eventTypes",
                "queueCapacity"), names);
    }
}
