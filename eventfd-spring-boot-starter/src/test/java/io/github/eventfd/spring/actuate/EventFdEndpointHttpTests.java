package io.github.eventfd.spring.actuate;

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

/** The endpoint's write operations over HTTP: careless input is a bad request that changes nothing; odd ids reach their listener. */
@EnabledOnOs(OS.LINUX)
@SpringBootTest(classes = EventFdEndpointHttpTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=eventfd", "server.address=127.0.0.1" })
class EventFdEndpointHttpTests {

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
    void whenTheJsonIsMalformedThenItIsABadRequestAndNothingIsSignalledOrPaused() throws Exception {
        long sent = this.registry.channel("orders").sentCount();
        HttpResponse<String> response = post("/actuator/eventfd/orders", "{\"action\": \"pause\"");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(this.registry.channel("orders").sentCount()).isEqualTo(sent);
        assertThat(this.registry.channel("orders").isPaused()).isFalse();
    }

    @Test
    void whenTheCountIsNotANumberThenItIsABadRequest() throws Exception {
        HttpResponse<String> response = post("/actuator/eventfd/orders", "{\"count\": \"many\"}");
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void whenCountAndActionComeTogetherThenItIsABadRequestAndNeitherIsDone() throws Exception {
        long sent = this.registry.channel("orders").sentCount();
        HttpResponse<String> response = post("/actuator/eventfd/orders", "{\"count\": 2, \"action\": \"pause\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(this.registry.channel("orders").sentCount()).isEqualTo(sent);
        assertThat(this.registry.channel("orders").isPaused()).isFalse();
    }

    @Test
    void whenAListenerActionHasNoActionThenItIsABadRequest() throws Exception {
        HttpResponse<String> response = post("/actuator/eventfd/orders/OrderListener.onOrders", "{}");
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void whenAListenerIdHoldsDotsAndSpacesThenItIsReachableEncoded() throws Exception {
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

        @EventFdListener(value = "orders", id = "audit v1.2")
        void auditV12(long count) {
        }
    }
}
