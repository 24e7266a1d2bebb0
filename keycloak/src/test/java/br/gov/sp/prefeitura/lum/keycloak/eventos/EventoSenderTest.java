package br.gov.sp.prefeitura.lum.keycloak.eventos;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;

class EventoSenderTest {

    private static final String SECRET = "test-events-secret";
    private static final String BODY = "{\"id\":\"evt-1\",\"type\":\"REGISTER\",\"user\":null}";
    private static final int MAX_ATTEMPTS = 5;

    private RecordingApiServer api;
    private EventoSender sender;

    @BeforeEach
    void startApi() throws IOException {
        api = new RecordingApiServer();
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        api.close();
    }

    private static LumEventsConfig config(URI url, long timeoutMillis, int queueCapacity) {
        return new LumEventsConfig(url, SECRET, MAX_ATTEMPTS, 5, Duration.ofMillis(timeoutMillis), queueCapacity,
                EnumSet.of(EventType.REGISTER));
    }

    private static EventoSender newSender(LumEventsConfig config, LongSupplier clock) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .build();
        return new EventoSender(config, client, EventoSender.newExecutor(), clock);
    }

    private EventoSender senderTo(URI url) {
        sender = newSender(config(url, 2000, 10), () -> 1763900000L);
        return sender;
    }

    private static DeliveryResult await(CompletableFuture<DeliveryResult> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    /** HMAC computed here with javax.crypto directly, independently of {@link HmacSigner}. */
    private static String expectedSignature(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givenApiAccepts_whenSend_thenPostCarriesBodyAndSignedHeaders() throws Exception {
        DeliveryResult result = await(senderTo(api.uri()).send(new Delivery("evt-1", "REGISTER", BODY)));

        assertEquals(new DeliveryResult(DeliveryResult.Status.DELIVERED, 1, 202), result);
        assertEquals(1, api.received().size());
        RecordingApiServer.Received request = api.received().get(0);
        assertEquals("POST", request.method());
        assertEquals(RecordingApiServer.PATH, request.path());
        assertEquals(BODY, request.body());
        assertTrue(request.header("Content-Type").startsWith("application/json"));
        assertEquals("evt-1", request.header("X-LUM-Event-Id"));
        assertEquals("1763900000", request.header("X-LUM-Timestamp"));
        assertEquals(expectedSignature("1763900000", BODY), request.header("X-LUM-Signature"));
    }

    @Test
    void givenSharedVector_whenSend_thenSignatureHeaderEqualsDigestComputedWithOpenssl() throws Exception {
        // The listener's whole signing path (config secret, clock, raw body) against test/vetores/hashes.json.
        VetoresCompartilhados.EventoHmac v = VetoresCompartilhados.eventoHmac();
        LumEventsConfig comSegredoDoVetor = new LumEventsConfig(api.uri(), v.segredo(), MAX_ATTEMPTS, 5, Duration.ofMillis(2000), 10,
                EnumSet.of(EventType.REGISTER));
        sender = newSender(comSegredoDoVetor, () -> Long.parseLong(v.timestamp()));

        DeliveryResult result = await(sender.send(new Delivery("evt-0001", "REGISTER", v.corpo())));

        assertEquals(new DeliveryResult(DeliveryResult.Status.DELIVERED, 1, 202), result);
        RecordingApiServer.Received request = api.received().get(0);
        assertEquals(v.corpo(), request.body());
        assertEquals(v.timestamp(), request.header("X-LUM-Timestamp"));
        assertEquals(v.cabecalho(), request.header("X-LUM-Signature"));
    }

    @Test
    void givenApiAnswers503Twice_whenSend_thenDeliveredOnThirdAttemptWithSameEventId() throws Exception {
        api.thenReply(RecordingApiServer.Reply.status(503), RecordingApiServer.Reply.status(503));

        DeliveryResult result = await(senderTo(api.uri()).send(new Delivery("evt-2", "REGISTER", BODY)));

        assertEquals(new DeliveryResult(DeliveryResult.Status.DELIVERED, 3, 202), result);
        assertEquals(3, api.received().size());
        api.received().forEach(r -> {
            assertEquals("evt-2", r.header("X-LUM-Event-Id"));
            assertEquals(BODY, r.body());
        });
    }

    @Test
    void givenRetries_whenSend_thenEachAttemptIsSignedWithItsOwnSendTimeTimestamp() throws Exception {
        api.thenReply(RecordingApiServer.Reply.status(500));
        AtomicLong clock = new AtomicLong(1763900000L);
        sender = newSender(config(api.uri(), 2000, 10), clock::getAndIncrement);

        assertTrue(await(sender.send(new Delivery("evt-3", "REGISTER", BODY))).delivered());

        List<RecordingApiServer.Received> requests = api.received();
        assertEquals(2, requests.size());
        assertEquals("1763900000", requests.get(0).header("X-LUM-Timestamp"));
        assertEquals("1763900001", requests.get(1).header("X-LUM-Timestamp"));
        for (RecordingApiServer.Received r : requests) {
            assertEquals(expectedSignature(r.header("X-LUM-Timestamp"), BODY), r.header("X-LUM-Signature"));
        }
    }

    @Test
    void givenApiAnswers409_whenSend_thenTreatedAsDeliveredAndNotRetried() throws Exception {
        api.alwaysReply(409);

        DeliveryResult result = await(senderTo(api.uri()).send(new Delivery("evt-4", "REGISTER", BODY)));

        assertEquals(new DeliveryResult(DeliveryResult.Status.DELIVERED, 1, 409), result);
        assertEquals(1, api.received().size());
    }

    @Test
    void givenApiAnswers400_whenSend_thenRejectedAndNotRetried() throws Exception {
        api.alwaysReply(400);

        DeliveryResult result = await(senderTo(api.uri()).send(new Delivery("evt-5", "REGISTER", BODY)));

        assertEquals(new DeliveryResult(DeliveryResult.Status.REJECTED, 1, 400), result);
        assertEquals(1, api.received().size());
    }

    @Test
    void givenApiAnswers401_whenSend_thenRejectedAndNotRetried() throws Exception {
        api.alwaysReply(401);

        DeliveryResult result = await(senderTo(api.uri()).send(new Delivery("evt-6", "REGISTER", BODY)));

        assertEquals(DeliveryResult.Status.REJECTED, result.status());
        assertEquals(1, api.received().size());
    }

    @Test
    void givenApiAlwaysAnswers500_whenSend_thenGivesUpAfterExactlyMaxAttempts() throws Exception {
        api.alwaysReply(500);

        DeliveryResult result = await(senderTo(api.uri()).send(new Delivery("evt-7", "REGISTER", BODY)));

        assertEquals(new DeliveryResult(DeliveryResult.Status.GAVE_UP, MAX_ATTEMPTS, 500), result);
        assertEquals(MAX_ATTEMPTS, api.received().size());
    }

    @Test
    void givenServerDown_whenSend_thenExactlyMaxAttemptsThenGivesUpWithoutThrowing() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        URI down = URI.create("http://127.0.0.1:" + closedPort + "/eventos/keycloak");

        CompletableFuture<DeliveryResult> future =
                assertDoesNotThrow(() -> senderTo(down).send(new Delivery("evt-8", "REGISTER", BODY)));
        DeliveryResult result = await(future);

        assertEquals(new DeliveryResult(DeliveryResult.Status.GAVE_UP, MAX_ATTEMPTS, -1), result);
        assertEquals(0, sender.inFlight());
    }

    @Test
    void givenServerClosesEveryConnectionWithoutAnswering_whenSend_thenExactlyMaxAttemptsReachTheServer()
            throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!mute.isClosed()) {
                    try (Socket s = mute.accept()) {
                        readRequestHead(s.getInputStream());
                        requests.incrementAndGet();
                        // close without a status line: the client sees an IOException (EOF)
                    } catch (IOException e) {
                        if (mute.isClosed()) {
                            return;
                        }
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI url = URI.create("http://127.0.0.1:" + mute.getLocalPort() + "/eventos/keycloak");

            DeliveryResult result = await(senderTo(url).send(new Delivery("evt-9", "REGISTER", BODY)));

            assertEquals(new DeliveryResult(DeliveryResult.Status.GAVE_UP, MAX_ATTEMPTS, -1), result);
            assertEquals(MAX_ATTEMPTS, requests.get());
        }
    }

    private static void readRequestHead(java.io.InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Test
    void givenFirstAttemptTimesOut_whenSend_thenRetriedAndDelivered() throws Exception {
        api.thenReply(new RecordingApiServer.Reply(202, 1500));
        sender = newSender(config(api.uri(), 300, 10), () -> 1763900000L);

        DeliveryResult result = await(sender.send(new Delivery("evt-10", "REGISTER", BODY)));

        assertEquals(new DeliveryResult(DeliveryResult.Status.DELIVERED, 2, 202), result);
    }

    @Test
    void givenQueueFull_whenSend_thenNewDeliveryDroppedImmediately() throws Exception {
        api.thenReply(new RecordingApiServer.Reply(202, 800));
        sender = newSender(config(api.uri(), 2000, 1), () -> 1763900000L);

        CompletableFuture<DeliveryResult> first = sender.send(new Delivery("evt-11", "REGISTER", BODY));
        DeliveryResult second = sender.send(new Delivery("evt-12", "REGISTER", BODY)).getNow(null);

        assertEquals(new DeliveryResult(DeliveryResult.Status.DROPPED, 0, -1), second);
        assertTrue(await(first).delivered());
        assertEquals(1, api.received().size());
        assertEquals(0, sender.inFlight());
    }

    @Test
    void givenSenderClosed_whenSend_thenDroppedWithoutThrowing() throws Exception {
        EventoSender closed = senderTo(api.uri());
        closed.close();

        DeliveryResult result = await(closed.send(new Delivery("evt-13", "REGISTER", BODY)));

        assertEquals(DeliveryResult.Status.DROPPED, result.status());
        assertEquals(0, api.received().size());
    }

    @Test
    void givenAttemptNumber_whenBackoff_thenDoublesFromInitialAndCapsAt30Seconds() {
        assertEquals(500, EventoSender.backoffMillis(500, 1));
        assertEquals(1000, EventoSender.backoffMillis(500, 2));
        assertEquals(2000, EventoSender.backoffMillis(500, 3));
        assertEquals(4000, EventoSender.backoffMillis(500, 4));
        assertEquals(30_000, EventoSender.backoffMillis(500, 10));
        assertEquals(30_000, EventoSender.backoffMillis(500, 1000));
        assertEquals(30_000, EventoSender.backoffMillis(Integer.MAX_VALUE, 2));
        assertEquals(0, EventoSender.backoffMillis(0, 3));
    }
}
