package io.github.eventfd.spring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,metrics,eventfd", "server.address=127.0.0.1",
        "management.endpoint.health.show-details=always" })
class SampleApplicationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    EventFdNotifier orders;

    @Autowired
    SampleApplication.OrderListener listener;

    @Autowired
    EventFdChannelRegistry registry;

    private String get(String path) throws Exception {
        HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    @Test
    void whenManyThreadsSignalThenListenersEventsMetricsAndEndpointAddUp() throws Exception {
        assertThat(this.orders.channel()).isEqualTo("orders");
        int threads = 4;
        int perThread = 25_000;
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    this.orders.signal();
                }
            });
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        long total = (long) threads * perThread;
        await().until(() -> this.listener.received.get() == total);
        assertThat(this.listener.eventTotal.get()).isEqualTo(total);

        assertThat(get("/actuator/metrics/eventfd.signals.sent?tag=channel:orders"))
                .contains("\"statistic\":\"COUNT\",\"value\":100000.0");
        assertThat(get("/actuator/metrics/eventfd.signals.received?tag=channel:orders"))
                .contains("\"value\":100000.0");
        assertThat(get("/actuator/eventfd")).contains("\"orders\"").contains("\"sent\":100000")
                .contains("\"received\":100000").contains("\"listeners\":{\"OrderListener.onOrders\":{\"running\":true}}");
        assertThat(get("/actuator/health/eventfd")).contains("\"status\":\"UP\"");

        HttpResponse<String> signalled = this.http.send(HttpRequest.newBuilder(uri("/actuator/eventfd/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"count\":5}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signalled.statusCode()).isEqualTo(200);
        await().until(() -> this.listener.received.get() == total + 5);

        HttpResponse<String> missing = this.http.send(HttpRequest.newBuilder(uri("/actuator/eventfd/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void whenASignalThroughTheEndpointIsRefusedThenTheStatusAndTheBodySayWhy() throws Exception {
        EventFdChannel channel = this.registry.channel("orders");
        long sent = channel.sentCount();
        HttpResponse<String> unknown = post("/actuator/eventfd/nope", "{\"count\":2}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no eventfd channel 'nope'; the channels are [orders]");
        for (String count : new String[] { "0", "-3" }) {
            HttpResponse<String> refused = post("/actuator/eventfd/orders", "{\"count\":" + count + "}");
            assertThat(refused.statusCode()).as(count).isEqualTo(400);
            assertThat(refused.body()).contains("'count' must be between 1 and 9223372036854775807 but was " + count)
                    .doesNotContain("'n'");
        }
        // nothing was signalled (a signal through the endpoint is answered 200 in the test above)
        assertThat(channel.sentCount()).isEqualTo(sent);
    }

    /** Dirties the context: the other tests count from zero. */
    @Test
    @DirtiesContext
    void whenPausedResumedStoppedAndStartedOverHttpThenTheEndpointAnswersWithTheStateAndDeliveryFollows()
            throws Exception {
        EventFdChannel channel = this.registry.channel("orders");
        String listenerPath = "/actuator/eventfd/orders/OrderListener.onOrders";
        try {
            HttpResponse<String> paused = post("/actuator/eventfd/orders", "{\"action\":\"pause\"}");
            assertThat(paused.statusCode()).isEqualTo(200);
            assertThat(paused.body()).contains("\"paused\":true");
            long received = this.listener.received.get();
            long wakeups = channel.wakeupCount();
            this.orders.signal(2);
            this.orders.signal(3);
            assertThat(get("/actuator/eventfd/orders")).contains("\"paused\":true");
            HttpResponse<String> resumed = post("/actuator/eventfd/orders", "{\"action\":\"resume\"}");
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(resumed.body()).contains("\"paused\":false");
            await().until(() -> this.listener.received.get() == received + 5);
            assertThat(channel.wakeupCount()).isEqualTo(wakeups + 1);

            HttpResponse<String> stopped = post(listenerPath, "{\"action\":\"stop\"}");
            assertThat(stopped.statusCode()).isEqualTo(200);
            assertThat(stopped.body()).isEqualTo("{\"running\":false}");
            assertThat(get(listenerPath)).isEqualTo("{\"running\":false}");
            assertThat(this.registry.listener("OrderListener.onOrders").orElseThrow().isRunning()).isFalse();
            HttpResponse<String> unknownAction = post(listenerPath, "{\"action\":\"pause\"}");
            assertThat(unknownAction.statusCode()).isEqualTo(400);
            assertThat(unknownAction.body()).contains("'action' must be stop or start but was 'pause'");
            HttpResponse<String> unknownListener = post("/actuator/eventfd/orders/nope", "{\"action\":\"stop\"}");
            assertThat(unknownListener.statusCode()).isEqualTo(404);
            assertThat(unknownListener.body()).contains("no listener 'nope' on eventfd channel 'orders'");
            HttpResponse<String> started = post(listenerPath, "{\"action\":\"start\"}");
            assertThat(started.statusCode()).isEqualTo(200);
            assertThat(started.body()).isEqualTo("{\"running\":true}");
        }
        finally {
            channel.resume();
            this.registry.listener("OrderListener.onOrders").orElseThrow().start();
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return this.http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
