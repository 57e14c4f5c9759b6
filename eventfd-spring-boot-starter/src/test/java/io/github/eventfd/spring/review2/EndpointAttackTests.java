package io.github.eventfd.spring.review2;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** Review 2 attacks: the endpoint's write operations over HTTP with careless input and odd listener ids. */
@EnabledOnOs(OS.LINUX)
@SpringBootTest(classes = EndpointAttackTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=eventfd", "server.address=127.0.0.1" })
class EndpointAttackTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    EventFdChannelRegistry registry;

    private HttpResponse<String> post(String path, String body) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void malformedJsonIsABadRequestAndSignalsNothing() throws Exception {
        long sent = this.registry.channel("orders").sentCount();
        HttpResponse<String> response = post("/actuator/eventfd/orders", "{\"action\": \"pause\"");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(this.registry.channel("orders").sentCount()).isEqualTo(sent);
        assertThat(this.registry.channel("orders").isPaused()).isFalse();
    }

    @Test
    void aCountThatIsNotANumberIsABadRequest() throws Exception {
        HttpResponse<String> response = post("/actuator/eventfd/orders", "{\"count\": \"many\"}");
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void countAndActionTogetherIsABadRequestAndNeitherIsDone() throws Exception {
        long sent = this.registry.channel("orders").sentCount();
        HttpResponse<String> response = post("/actuator/eventfd/orders", "{\"count\": 2, \"action\": \"pause\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(this.registry.channel("orders").sentCount()).isEqualTo(sent);
        assertThat(this.registry.channel("orders").isPaused()).isFalse();
    }

    @Test
    void aListenerActionWithoutABodyIsABadRequest() throws Exception {
        HttpResponse<String> response = post("/actuator/eventfd/orders/OrderListener.onOrders", "{}");
        assertThat(response.statusCode()).isEqualTo(400);
    }

    /** An id may hold any character; one with a slash shows in GET /actuator/eventfd but no URL reaches it. */
    @Test
    void aListenerWhoseIdHasASlashCanBeStoppedThroughTheEndpoint() throws Exception {
        assertThat(this.registry.listener("audit/orders")).isPresent();
        HttpResponse<String> encoded = post("/actuator/eventfd/orders/audit%2Forders", "{\"action\":\"stop\"}");
        HttpResponse<String> raw = post("/actuator/eventfd/orders/audit/orders", "{\"action\":\"stop\"}");
        assertThat(encoded.statusCode() == 200 || raw.statusCode() == 200)
                .as("encoded: " + encoded.statusCode() + " " + encoded.body() + "; raw: " + raw.statusCode() + " "
                        + raw.body())
                .isTrue();
        this.registry.listener("audit/orders").orElseThrow().start();
    }

    @Test
    void aListenerIdWithDotsAndSpacesIsReachable() throws Exception {
        HttpResponse<String> response = post("/actuator/eventfd/orders/audit%20v1.2", "{\"action\":\"stop\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        this.registry.listener("audit v1.2").orElseThrow().start();
    }

    @SpringBootApplication
    @Import(OrderListener.class)
    static class App {
    }

    static class OrderListener {

        @EventFdListener("orders")
        void onOrders(long count) {
        }

        @EventFdListener(value = "orders", id = "audit/orders")
        void audit(long count) {
        }

        @EventFdListener(value = "orders", id = "audit v1.2")
        void auditV12(long count) {
        }
    }
}
