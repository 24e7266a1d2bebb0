package br.gov.sp.prefeitura.lum.keycloak.eventos;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RealmProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.UserSessionProvider;

@ExtendWith(MockitoExtension.class)
class LumApiEventListenerProviderTest {

    private static final String REALM_ID = "7d1c2b3a-realm";
    private static final String USER_ID = "0b5f6c1e-user";
    private static final Set<EventType> FORWARDED = LumEventsConfig.parseEventTypes(LumEventsConfig.DEFAULT_EVENT_TYPES);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mock
    private KeycloakSession session;
    @Mock
    private KeycloakTransactionManager transactionManager;
    @Mock
    private RealmProvider realms;
    @Mock
    private RealmModel realm;
    @Mock
    private UserProvider users;
    @Mock
    private UserModel user;

    private final List<Delivery> sent = new ArrayList<>();
    private LumApiEventListenerProvider provider;

    @BeforeEach
    void setUp() {
        lenient().when(session.getTransactionManager()).thenReturn(transactionManager);
        lenient().when(session.realms()).thenReturn(realms);
        lenient().when(realms.getRealm(REALM_ID)).thenReturn(realm);
        lenient().when(realm.getId()).thenReturn(REALM_ID);
        lenient().when(realm.getName()).thenReturn("prefeitura-sp");
        lenient().when(session.users()).thenReturn(users);
        lenient().when(users.getUserById(realm, USER_ID)).thenReturn(user);
        lenient().when(user.getUsername()).thenReturn("52998224725");
        lenient().when(user.getEmail()).thenReturn("maria@example.com");
        lenient().when(user.isEmailVerified()).thenReturn(true);
        lenient().when(user.getFirstName()).thenReturn("Maria");
        lenient().when(user.getLastName()).thenReturn("da Silva");
        lenient().when(user.getAttributeStream("cpf")).thenAnswer(inv -> Stream.of("52998224725"));
        provider = new LumApiEventListenerProvider(session, FORWARDED, sent::add);
    }

    private static Event event(EventType type) {
        Event e = new Event();
        e.setId("e1f2a3b4-event");
        e.setType(type);
        e.setTime(1763900000000L);
        e.setRealmId(REALM_ID);
        e.setRealmName("prefeitura-sp");
        e.setClientId("portal-cidadao");
        e.setUserId(USER_ID);
        e.setIpAddress("10.0.0.7");
        Map<String, String> details = new HashMap<>();
        details.put("username", "52998224725");
        details.put("register_method", "form");
        e.setDetails(details);
        return e;
    }

    private KeycloakTransaction enlisted() {
        ArgumentCaptor<KeycloakTransaction> captor = ArgumentCaptor.forClass(KeycloakTransaction.class);
        verify(transactionManager).enlistAfterCompletion(captor.capture());
        return captor.getValue();
    }

    private Event govbrLogin(EventType type) {
        Event e = event(type);
        e.getDetails().put("identity_provider", "govbr");
        e.setSessionId("sessao-1");
        return e;
    }

    @Test
    void givenLoginThroughGovbr_whenCommitted_thenForwardedWithTheGovbrIdToken() throws Exception {
        UserSessionProvider sessions = org.mockito.Mockito.mock(UserSessionProvider.class);
        UserSessionModel userSession = org.mockito.Mockito.mock(UserSessionModel.class);
        when(session.sessions()).thenReturn(sessions);
        when(sessions.getUserSession(realm, "sessao-1")).thenReturn(userSession);
        when(userSession.getNote("FEDERATED_ID_TOKEN")).thenReturn("eyJ.govbr.token");

        provider.onEvent(govbrLogin(EventType.LOGIN));
        JsonNode body = committedBody();

        assertEquals("LOGIN", body.get("type").asText());
        assertEquals("govbr", body.get("details").get("identity_provider").asText());
        assertEquals("eyJ.govbr.token", body.get("govbr").get("idToken").asText());
    }

    @Test
    void givenLoginThroughGovbrWithoutUserSession_whenCommitted_thenForwardedWithAnEmptyGovbrMember() throws Exception {
        UserSessionProvider sessions = org.mockito.Mockito.mock(UserSessionProvider.class);
        when(session.sessions()).thenReturn(sessions);
        when(sessions.getUserSession(realm, "sessao-1")).thenReturn(null);

        provider.onEvent(govbrLogin(EventType.IDENTITY_PROVIDER_FIRST_LOGIN));
        JsonNode body = committedBody();

        assertTrue(body.get("govbr").isObject());
        assertEquals(0, body.get("govbr").size());
    }

    @Test
    void givenLoginWithTheCertificateNote_whenCommitted_thenForwardedWithTheCertificateFactsAndTheNoteRemoved() throws Exception {
        UserSessionProvider sessions = org.mockito.Mockito.mock(UserSessionProvider.class);
        UserSessionModel userSession = org.mockito.Mockito.mock(UserSessionModel.class);
        when(session.sessions()).thenReturn(sessions);
        when(sessions.getUserSession(realm, "sessao-2")).thenReturn(userSession);
        when(userSession.getNote("lum.certificado-icp")).thenReturn(
                "{\"cpf\":\"52998224725\",\"emissor\":\"CN=AC Teste,C=BR\",\"serial\":\"1a2b\","
                        + "\"validoDe\":\"2026-12-01T10:00:00Z\",\"validoAte\":\"2027-12-01T10:00:00Z\"}");
        Event e = event(EventType.LOGIN);
        e.setSessionId("sessao-2");

        provider.onEvent(e);
        JsonNode body = committedBody();

        assertEquals("LOGIN", body.get("type").asText());
        assertEquals("52998224725", body.get("certificadoIcp").get("cpf").asText());
        assertEquals("CN=AC Teste,C=BR", body.get("certificadoIcp").get("emissor").asText());
        assertEquals("1a2b", body.get("certificadoIcp").get("serial").asText());
        assertEquals("2027-12-01T10:00:00Z", body.get("certificadoIcp").get("validoAte").asText());
        assertFalse(body.has("govbr"));
        verify(userSession).removeNote("lum.certificado-icp");
    }

    @Test
    void givenLoginWithASessionButNoCertificateNote_whenOnEvent_thenNotForwarded() {
        UserSessionProvider sessions = org.mockito.Mockito.mock(UserSessionProvider.class);
        UserSessionModel userSession = org.mockito.Mockito.mock(UserSessionModel.class);
        when(session.sessions()).thenReturn(sessions);
        when(sessions.getUserSession(realm, "sessao-3")).thenReturn(userSession);
        Event e = event(EventType.LOGIN);
        e.setSessionId("sessao-3");

        provider.onEvent(e);

        verifyNoInteractions(transactionManager);
        assertTrue(sent.isEmpty());
    }

    @Test
    void givenLoginThroughAnotherProvider_whenOnEvent_thenNotForwarded() {
        Event e = event(EventType.LOGIN);
        e.getDetails().put("identity_provider", "outro");
        provider.onEvent(e);

        verifyNoInteractions(transactionManager);
        assertTrue(sent.isEmpty());
    }

    @Test
    void givenRegister_whenCommitted_thenNoGovbrMember() throws Exception {
        provider.onEvent(event(EventType.REGISTER));
        assertFalse(committedBody().has("govbr"));
    }

    @Test
    void givenNonForwardedEventType_whenOnEvent_thenNothingEnlistedAndNothingSent() {
        provider.onEvent(event(EventType.LOGIN));
        provider.onEvent(event(EventType.REGISTER_ERROR));

        verifyNoInteractions(transactionManager, users);
        assertTrue(sent.isEmpty());
    }

    @Test
    void givenForwardedEventType_whenOnEvent_thenEnlistsAfterCompletionAndSendsOnlyOnCommit() {
        provider.onEvent(event(EventType.REGISTER));

        KeycloakTransaction tx = enlisted();
        assertTrue(sent.isEmpty(), "nothing may be sent before the Keycloak transaction commits");

        tx.begin();
        tx.commit();

        assertEquals(1, sent.size());
        assertEquals("e1f2a3b4-event", sent.get(0).eventId());
        assertEquals("REGISTER", sent.get(0).eventType());
    }

    @Test
    void givenForwardedEventType_whenTransactionRollsBack_thenNothingSent() {
        provider.onEvent(event(EventType.UPDATE_PROFILE));

        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.rollback();
        tx.commit(); // a late commit after completion must not resurrect the event

        assertTrue(sent.isEmpty());
    }

    @Test
    void givenTransactionMarkedRollbackOnly_whenCommitCalled_thenNothingSent() {
        provider.onEvent(event(EventType.REGISTER));

        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.setRollbackOnly();
        tx.commit();

        assertTrue(sent.isEmpty());
    }

    @Test
    void givenRegisterEvent_whenCommitted_thenBodyFollowsTheContract() throws Exception {
        provider.onEvent(event(EventType.REGISTER));
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();

        JsonNode body = JSON.readTree(sent.get(0).body());
        assertEquals(List.of("id", "type", "realm", "realmId", "clientId", "userId", "time", "ipAddress", "details",
                "user"), iteratorToList(body.fieldNames()));
        assertEquals("e1f2a3b4-event", body.get("id").asText());
        assertEquals("REGISTER", body.get("type").asText());
        assertEquals("prefeitura-sp", body.get("realm").asText());
        assertEquals(REALM_ID, body.get("realmId").asText());
        assertEquals("portal-cidadao", body.get("clientId").asText());
        assertEquals(USER_ID, body.get("userId").asText());
        assertTrue(body.get("time").isIntegralNumber());
        assertEquals(1763900000000L, body.get("time").asLong());
        assertEquals("10.0.0.7", body.get("ipAddress").asText());
        assertEquals("52998224725", body.get("details").get("username").asText());
        assertEquals("form", body.get("details").get("register_method").asText());
        JsonNode u = body.get("user");
        assertEquals("52998224725", u.get("username").asText());
        assertEquals("maria@example.com", u.get("email").asText());
        assertEquals(List.of("username", "email", "emailVerified", "firstName", "lastName", "attributes"),
                iteratorToList(u.fieldNames()));
        assertTrue(u.get("emailVerified").isBoolean());
        assertTrue(u.get("emailVerified").asBoolean());
        assertEquals("Maria", u.get("firstName").asText());
        assertEquals("da Silva", u.get("lastName").asText());
        assertEquals(1, u.get("attributes").size());
        assertEquals("52998224725", u.get("attributes").get("cpf").get(0).asText());
        assertEquals(1, u.get("attributes").get("cpf").size());
    }

    @Test
    void givenUserNoLongerExists_whenDeleteAccount_thenUserIsJsonNull() throws Exception {
        when(users.getUserById(realm, USER_ID)).thenReturn(null);

        provider.onEvent(event(EventType.DELETE_ACCOUNT));
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();

        JsonNode body = JSON.readTree(sent.get(0).body());
        assertEquals("DELETE_ACCOUNT", body.get("type").asText());
        assertTrue(body.has("user"));
        assertTrue(body.get("user").isNull());
        assertEquals(USER_ID, body.get("userId").asText());
    }

    @Test
    void givenEventMutatedAfterOnEvent_whenCommitted_thenBodyReflectsTheEventAtOnEventTime() throws Exception {
        Event e = event(EventType.REGISTER);
        provider.onEvent(e);
        e.setType(EventType.LOGIN); // EventBuilder reuses its Event instance
        e.setClientId("other");
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();

        JsonNode body = JSON.readTree(sent.get(0).body());
        assertEquals("REGISTER", body.get("type").asText());
        assertEquals("portal-cidadao", body.get("clientId").asText());
    }

    @Test
    void givenEventWithoutId_whenOnEvent_thenGeneratedUuidIsUsedInBodyAndDelivery() throws Exception {
        Event e = event(EventType.IDENTITY_PROVIDER_FIRST_LOGIN);
        e.setId(null);

        provider.onEvent(e);
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();

        String id = sent.get(0).eventId();
        assertEquals(id, UUID.fromString(id).toString());
        assertEquals(id, JSON.readTree(sent.get(0).body()).get("id").asText());
    }

    @Test
    void givenTwoForwardedEventsInOneRequest_whenCommitted_thenOneEnlistmentAndBothSentInOrder() {
        Event first = event(EventType.REGISTER);
        Event second = event(EventType.UPDATE_PROFILE);
        second.setId("second-event");

        provider.onEvent(first);
        provider.onEvent(second);
        KeycloakTransaction tx = enlisted(); // verify() inside: exactly one enlistment
        tx.begin();
        tx.commit();

        assertEquals(List.of("e1f2a3b4-event", "second-event"), sent.stream().map(Delivery::eventId).toList());
    }

    @Test
    void givenUserLookupFails_whenOnEvent_thenDoesNotThrowAndSendsUserNull() throws Exception {
        when(users.getUserById(realm, USER_ID)).thenThrow(new IllegalStateException("db down"));

        assertDoesNotThrow(() -> provider.onEvent(event(EventType.REGISTER)));
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();

        assertTrue(JSON.readTree(sent.get(0).body()).get("user").isNull());
    }

    @Test
    void givenTransactionManagerFails_whenOnEvent_thenDoesNotThrow() {
        when(session.getTransactionManager()).thenThrow(new IllegalStateException("no transaction"));

        assertDoesNotThrow(() -> provider.onEvent(event(EventType.REGISTER)));
        assertTrue(sent.isEmpty());
    }

    @Test
    void givenDispatcherFails_whenCommitted_thenCommitDoesNotThrow() {
        LumApiEventListenerProvider failing = new LumApiEventListenerProvider(session, FORWARDED, d -> {
            throw new IllegalStateException("executor gone");
        });
        failing.onEvent(event(EventType.REGISTER));
        KeycloakTransaction tx = enlisted();
        tx.begin();

        assertDoesNotThrow(tx::commit);
    }

    @Test
    void givenListenerDisabledForLackOfSecret_whenOnEvent_thenNothingEnlisted() {
        LumApiEventListenerProvider disabled = new LumApiEventListenerProvider(session, FORWARDED, null);

        disabled.onEvent(event(EventType.REGISTER));
        disabled.onEvent(event(EventType.UPDATE_PROFILE));

        verifyNoInteractions(transactionManager);
        // REGISTER still loads the user to fill cpf (here it already has one); UPDATE_PROFILE does not even do that.
        verify(users, times(1)).getUserById(realm, USER_ID);
        verify(user, never()).setSingleAttribute(any(), any());
    }

    // --- cpf attribute filled from the CPF username (PreencheCpfDoUsername) ---

    /** Makes the mocked user stateful for the cpf attribute: starts without it, setSingleAttribute stores it. */
    private Map<String, List<String>> userWithoutCpf(String username) {
        Map<String, List<String>> attributes = new HashMap<>();
        lenient().when(user.getUsername()).thenReturn(username);
        lenient().when(user.getAttributeStream("cpf"))
                .thenAnswer(inv -> attributes.getOrDefault("cpf", List.of()).stream());
        lenient().doAnswer(inv -> {
            attributes.put(inv.getArgument(0), List.of(inv.<String>getArgument(1)));
            return null;
        }).when(user).setSingleAttribute(any(), any());
        return attributes;
    }

    private JsonNode committedBody() throws Exception {
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();
        assertEquals(1, sent.size());
        return JSON.readTree(sent.get(0).body());
    }

    @Test
    void givenRegisterWithValidCpfUsernameAndNoCpf_whenOnEvent_thenCpfSetBeforeSnapshotAndInPayload()
            throws Exception {
        Map<String, List<String>> attributes = userWithoutCpf("52998224725");

        provider.onEvent(event(EventType.REGISTER));

        verify(user).setSingleAttribute("cpf", "52998224725");
        assertEquals(List.of("52998224725"), attributes.get("cpf"));
        JsonNode cpf = committedBody().get("user").get("attributes").get("cpf");
        assertEquals(1, cpf.size());
        assertEquals("52998224725", cpf.get(0).asText());
    }

    @Test
    void givenFirstBrokerLoginWithValidCpfUsername_whenOnEvent_thenCpfSetAndInPayload() throws Exception {
        userWithoutCpf("11144477735");

        provider.onEvent(event(EventType.IDENTITY_PROVIDER_FIRST_LOGIN));

        verify(user).setSingleAttribute("cpf", "11144477735");
        assertEquals("11144477735", committedBody().get("user").get("attributes").get("cpf").get(0).asText());
    }

    @Test
    void givenRegisterWithInvalidCpfUsername_whenOnEvent_thenNothingSetAndPayloadHasNoCpf() throws Exception {
        for (String username : new String[] {"52998224724", "00000000000", "529.982.247-25", "maria.silva"}) {
            userWithoutCpf(username);
            provider.onEvent(event(EventType.REGISTER));
        }

        verify(user, never()).setSingleAttribute(any(), any());
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();
        assertEquals(4, sent.size());
        for (Delivery delivery : sent) {
            assertEquals(0, JSON.readTree(delivery.body()).get("user").get("attributes").size());
        }
    }

    @Test
    void givenUserAlreadyHasCpf_whenRegister_thenAttributeUnchanged() throws Exception {
        lenient().when(user.getAttributeStream("cpf")).thenAnswer(inv -> Stream.of("11144477735"));

        provider.onEvent(event(EventType.REGISTER)); // username 52998224725 differs from the stored cpf

        verify(user, never()).setSingleAttribute(any(), any());
        assertEquals("11144477735", committedBody().get("user").get("attributes").get("cpf").get(0).asText());
    }

    @Test
    void givenOtherEventTypes_whenOnEvent_thenCpfNeverTouched() {
        userWithoutCpf("52998224725");

        for (EventType type : new EventType[] {EventType.UPDATE_PROFILE, EventType.DELETE_ACCOUNT, EventType.LOGIN,
                EventType.REGISTER_ERROR, EventType.IDENTITY_PROVIDER_LOGIN, EventType.UPDATE_EMAIL}) {
            provider.onEvent(event(type));
        }

        verify(user, never()).setSingleAttribute(any(), any());
    }

    @Test
    void givenListenerDisabledForLackOfSecret_whenRegister_thenCpfStillFilledButNothingEnlisted() {
        Map<String, List<String>> attributes = userWithoutCpf("52998224725");
        LumApiEventListenerProvider disabled = new LumApiEventListenerProvider(session, FORWARDED, null);

        disabled.onEvent(event(EventType.REGISTER));

        assertEquals(List.of("52998224725"), attributes.get("cpf"));
        verifyNoInteractions(transactionManager);
    }

    @Test
    void givenEventTypesWithoutRegister_whenRegister_thenCpfStillFilledButNothingEnlisted() {
        Map<String, List<String>> attributes = userWithoutCpf("52998224725");
        LumApiEventListenerProvider onlyUpdates =
                new LumApiEventListenerProvider(session, EnumSet.of(EventType.UPDATE_PROFILE), sent::add);

        onlyUpdates.onEvent(event(EventType.REGISTER));

        assertEquals(List.of("52998224725"), attributes.get("cpf"));
        verifyNoInteractions(transactionManager);
    }

    @Test
    void givenCpfWriteFails_whenRegister_thenDoesNotThrowAndStillSendsWithoutCpf() throws Exception {
        lenient().when(user.getAttributeStream("cpf")).thenAnswer(inv -> Stream.empty());
        doThrow(new IllegalStateException("read-only user")).when(user).setSingleAttribute(any(), any());

        assertDoesNotThrow(() -> provider.onEvent(event(EventType.REGISTER)));

        JsonNode body = committedBody();
        assertEquals("52998224725", body.get("user").get("username").asText());
        assertEquals(0, body.get("user").get("attributes").size());
    }

    @Test
    void givenRealmUnknown_whenOnEvent_thenStillSendsWithUserNullAndRealmNameFromEvent() throws Exception {
        when(realms.getRealm(REALM_ID)).thenReturn(null);

        provider.onEvent(event(EventType.REGISTER));
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();

        JsonNode body = JSON.readTree(sent.get(0).body());
        assertTrue(body.get("user").isNull());
        assertEquals("prefeitura-sp", body.get("realm").asText());
    }

    @Test
    void givenEventWithoutRealmName_whenOnEvent_thenRealmNameTakenFromRealmModel() throws Exception {
        Event e = event(EventType.REGISTER);
        e.setRealmName(null);

        provider.onEvent(e);
        KeycloakTransaction tx = enlisted();
        tx.begin();
        tx.commit();

        JsonNode body = JSON.readTree(sent.get(0).body());
        assertEquals("prefeitura-sp", body.get("realm").asText());
        assertFalse(body.get("user").isNull());
    }

    @Test
    void givenNewTransactionAfterCommit_whenAnotherEvent_thenEnlistsAgain() {
        provider.onEvent(event(EventType.REGISTER));
        ArgumentCaptor<KeycloakTransaction> captor = ArgumentCaptor.forClass(KeycloakTransaction.class);
        verify(transactionManager).enlistAfterCompletion(captor.capture());
        captor.getValue().begin();
        captor.getValue().commit();

        provider.onEvent(event(EventType.UPDATE_PROFILE));

        verify(transactionManager, times(2)).enlistAfterCompletion(any());
        assertEquals(1, sent.size());
    }

    @Test
    void givenAdminEvent_whenOnEvent_thenIgnored() {
        provider.onEvent(new AdminEvent(), true);

        verify(session, never()).getTransactionManager();
        assertTrue(sent.isEmpty());
    }

    private static List<String> iteratorToList(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
