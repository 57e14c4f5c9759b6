package io.github.eventfd.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.eventfd.spring.test.EventFdRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both roles in one process, as the README's main command runs it: real eventfds, shared through sockets, delivered
 * on the starter's threads. The {@link EventFdRecorder} of eventfd-spring-boot-test waits for the deliveries.
 */
@EnabledOnOs(OS.LINUX)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
        "demo.producer.rate=0", "demo.producer.config-every=0s", "demo.billing.work=0s" })
class DemoApplicationTests {

    @TempDir
    static Path sockets;

    @DynamicPropertySource
    static void socketDir(DynamicPropertyRegistry registry) {
        registry.add("demo.socket-dir", () -> sockets.toString());
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    EventFdRecorder recorder;

    @BeforeEach
    void forgetEarlierDeliveries() {
        this.recorder.clear();
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long received(String channel) throws Exception {
        Matcher matcher = Pattern.compile("\"received\":\\{[^}]*\"" + Pattern.quote(channel) + "\":(\\d+)")
                .matcher(call("GET", "/demo/stats").body());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    @Test
    void whenSignalledOverRestThenBillingReceivesEveryCountOnBothChannels() throws Exception {
        long orders = received("orders.created");
        long config = received("config.changed");
        assertThat(call("POST", "/signal/orders.created?n=7").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/signal/config.changed?n=2").statusCode()).isEqualTo(200);
        // recorded once billing's listeners have returned: what they counted is there
        assertThat(this.recorder.awaitReceivedCount("orders.created", 7, TIMEOUT)).isEqualTo(7);
        assertThat(this.recorder.awaitReceivedCount("config.changed", 2, TIMEOUT)).isEqualTo(2);
        assertThat(received("orders.created")).isEqualTo(orders + 7);
        assertThat(received("config.changed")).isEqualTo(config + 2);
    }

    @Test
    void whenSignalRequestIsBadThenClearErrors() throws Exception {
        assertThat(call("POST", "/signal/nope").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/signal/orders.created?n=0").statusCode()).isEqualTo(400);
    }

    @Test
    void whenDashboardQueriesMetricsThenPrometheusOutputHasEachOfThem() throws Exception {
        call("POST", "/signal/orders.created?n=1");
        this.recorder.awaitDeliveries("orders.created", 1, TIMEOUT);
        String prometheus = call("GET", "/actuator/prometheus").body();
        String dashboard = Files.readString(Path.of("..", "docker", "grafana", "dashboards", "eventfd.json"));
        Set<String> queried = new TreeSet<>();
        Matcher matcher = Pattern.compile("eventfd_[a-z_]+").matcher(dashboard);
        while (matcher.find()) {
            queried.add(matcher.group());
        }
        assertThat(queried).hasSizeGreaterThanOrEqualTo(8);
        for (String metric : queried) {
            assertThat(prometheus).as("metric %s queried by the dashboard", metric).containsPattern("(?m)^" + metric + "\\{");
        }
        assertThat(call("GET", "/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(call("GET", "/actuator/eventfd").body()).contains("\"state\":\"SERVING\"");
    }
}
