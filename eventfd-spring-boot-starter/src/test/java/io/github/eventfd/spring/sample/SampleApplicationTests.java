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
                .contains("\"received\":100000").contains("\"listeners\":[\"OrderListener.onOrders\"]");
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

    private HttpResponse<String> post(String path, String body) throws Exception {
        return this.http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
