package io.github.eventfd.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
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
import org.springframework.test.web.servlet.client.RestTestClient;

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

    @LocalServerPort
    int port;

    @Autowired
    EventFdRecorder recorder;

    private RestTestClient client;

    @BeforeEach
    void forgetEarlierDeliveries() {
        this.recorder.clear();
        this.client = RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
    }

    private void signal(String channel, int n) {
        this.client.post().uri("/signal/{channel}?n={n}", channel, n).exchange().expectStatus().isOk();
    }

    private String get(String path) {
        return this.client.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private long received(String channel) {
        Map<String, Number> received = JsonPath.read(get("/demo/stats"), "$.received");
        return received.getOrDefault(channel, 0).longValue();
    }

    @Test
    void whenSignalledOverRestThenBillingReceivesEveryCountOnBothChannels() {
        long orders = received("orders.created");
        long config = received("config.changed");
        signal("orders.created", 7);
        signal("config.changed", 2);
        // recorded once billing's listeners have returned: what they counted is there
        assertThat(this.recorder.awaitReceivedCount("orders.created", 7, TIMEOUT)).isEqualTo(7);
        assertThat(this.recorder.awaitReceivedCount("config.changed", 2, TIMEOUT)).isEqualTo(2);
        assertThat(received("orders.created")).isEqualTo(orders + 7);
        assertThat(received("config.changed")).isEqualTo(config + 2);
    }

    @Test
    void whenSignalRequestIsBadThenClearErrors() {
        this.client.post().uri("/signal/nope").exchange().expectStatus().isNotFound();
        this.client.post().uri("/signal/orders.created?n=0").exchange().expectStatus().isBadRequest();
    }

    @Test
    void whenDashboardQueriesMetricsThenPrometheusOutputHasEachOfThem() throws Exception {
        signal("orders.created", 1);
        this.recorder.awaitDeliveries("orders.created", 1, TIMEOUT);
        String prometheus = get("/actuator/prometheus");
        List<String> queries = JsonPath.read(Path.of("..", "docker", "grafana", "dashboards", "eventfd.json").toFile(),
                "$.panels[*].targets[*].expr");
        Set<String> queried = new TreeSet<>();
        for (String query : queries) {
            Matcher metric = Pattern.compile("eventfd_[a-z_]+").matcher(query);
            while (metric.find()) {
                queried.add(metric.group());
            }
        }
        assertThat(queried).hasSizeGreaterThanOrEqualTo(10);
        // the bridge's meters exist only with the profile 'bridge' and a Redis: DashboardQueriesIT checks them
        queried.removeIf(metric -> metric.startsWith("eventfd_bridge_"));
        for (String metric : queried) {
            assertThat(prometheus).as("metric %s queried by the dashboard", metric)
                    .containsPattern("(?m)^" + metric + "\\{[^}]*application=\"eventfd-demo\"");
        }
        this.client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody().jsonPath("$.status")
                .isEqualTo("UP");
        this.client.get().uri("/actuator/eventfd").exchange().expectBody()
                .jsonPath("$.channels['orders.created'].share.state").isEqualTo("SERVING");
    }
}
