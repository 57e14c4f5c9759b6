package io.github.eventfd.containers;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard against a real Prometheus: it scrapes an orders and a billing container every second,
 * and every query of the dashboard, its variables substituted as Grafana would, must return series. Grafana
 * itself is not run; what it adds to a query is the substitution done here. The containers run with the profile
 * {@code bridge} and a Redis, so that the bridge panels have their meters too.
 */
class DashboardQueriesIT {

    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

    /** What Grafana makes of {@code $__rate_interval} at this scrape interval and a short time range. */
    private static final String RATE_INTERVAL = 4 * SCRAPE_INTERVAL.toSeconds() + "s";

    private static final List<String> CHANNELS = List.of("config.changed", "orders.created");

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String sockets = "eventfd-dashboard-it-" + UUID.randomUUID();

    private static final List<GenericContainer<?>> started = new ArrayList<>();

    private static RedisContainer redis;

    private static DemoContainer orders;

    private static DemoContainer billing;

    private static int prometheusPort;

    private static DocumentContext dashboard;

    @BeforeAll
    static void startDemoAndPrometheus() throws Exception {
        DockerRequired.check();
        dashboard = JsonPath.parse(Path.of(System.getProperty("demo.dashboard")).toFile());
        redis = start(new RedisContainer());
        orders = start(new DemoContainer(DemoImage.get(), "orders,bridge", sockets).bridgedThrough(redis, "host-1"));
        billing = start(new DemoContainer(DemoImage.get(), "billing,bridge", sockets).bridgedThrough(redis, "host-1"));
        prometheusPort = DemoContainer.freePort();
        String config = """
                global:
                  scrape_interval: %1$ds
                  scrape_timeout: %1$ds
                scrape_configs:
                  - job_name: eventfd-demo
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ["127.0.0.1:%2$d", "127.0.0.1:%3$d"]
                """.formatted(SCRAPE_INTERVAL.toSeconds(), orders.port(), billing.port());
        // /bin/prometheus in prom/prometheus and in the image built from Debian's package alike; /prometheus is
        // the data directory prom/prometheus gives its unprivileged user (the Debian image runs as root)
        start(new GenericContainer<>(System.getProperty("prometheus.image", "prom/prometheus:v3.5.0"))
                .withNetworkMode("host")
                .withCopyToContainer(Transferable.of(config), "/tmp/eventfd-it/prometheus.yml")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/prometheus"))
                .withCommand("--config.file=/tmp/eventfd-it/prometheus.yml",
                        "--storage.tsdb.path=/prometheus",
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .waitingFor(Wait.forLogMessage(".*Server is ready to receive web requests.*\\n", 1)
                        .withStartupTimeout(Duration.ofSeconds(60))));
        orders.post("/signal/orders.created?n=40");
        orders.post("/signal/config.changed?n=3");
        // every listener and channel counted something, and Prometheus has scraped it since
        await().atMost(Duration.ofSeconds(60)).until(() -> result(
                "eventfd_signals_received_total{channel=\"orders.created\"} >= 40 "
                        + "and on (instance) eventfd_signals_received_total{channel=\"config.changed\"} >= 3")
                .size() == 1);
    }

    private static <C extends GenericContainer<?>> C start(C container) {
        started.add(container);
        container.start();
        return container;
    }

    @AfterAll
    static void stopContainers() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        if (orders != null) {
            DockerClientFactory.instance().client().removeVolumeCmd(sockets).exec();
        }
    }

    @Test
    void whenEveryPanelQueryRunsWithTheVariablesSubstitutedThenEachReturnsSeries() {
        List<Map<String, Object>> targets = dashboard.read("$.panels[*].targets[*]");
        List<String> titles = dashboard.read("$.panels[*].title");
        assertThat(targets).hasSizeGreaterThanOrEqualTo(titles.size());
        for (Map<String, Object> target : targets) {
            String query = substitute((String) target.get("expr"));
            assertThat(query).as("every variable substituted").doesNotContain("$");
            // a rate needs two scrapes inside its window: ask until they are there
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(result(query))
                    .as("series of %s", query).isNotEmpty());
        }
    }

    @Test
    void whenTheVariablesAreQueriedThenTheyOfferTheApplicationItsInstancesAndChannels() throws Exception {
        Map<String, List<String>> expected = Map.of("application", List.of("eventfd-demo"), "instance",
                List.of("127.0.0.1:" + orders.port(), "127.0.0.1:" + billing.port()), "channel", CHANNELS);
        List<Map<String, Object>> variables = dashboard.read("$.templating.list[?(@.type == 'query')]");
        assertThat(variables).extracting(variable -> variable.get("name")).containsExactlyInAnyOrderElementsOf(
                expected.keySet());
        Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
        for (Map<String, Object> variable : variables) {
            Matcher query = labelValues.matcher((String) variable.get("definition"));
            assertThat(query.matches()).as("a label_values query: %s", variable.get("definition")).isTrue();
            // Grafana asks Prometheus' series API for label_values(selector, label)
            List<String> values = JsonPath.read(prometheus("/api/v1/series?match[]="
                    + URLEncoder.encode(substitute(query.group(1)), StandardCharsets.UTF_8)),
                    "$.data[*]." + query.group(2));
            assertThat(values).as("values of $%s", variable.get("name"))
                    .containsAll(expected.get((String) variable.get("name")));
        }
    }

    /** The dashboard's variables as Grafana substitutes them with every value of each selected. */
    private static String substitute(String query) {
        return query.replace("$__rate_interval", RATE_INTERVAL).replace("$application", "eventfd-demo")
                .replace("$instance", "127.0.0.1:" + orders.port() + "|127.0.0.1:" + billing.port())
                .replace("$channel", String.join("|", CHANNELS));
    }

    /** The series an instant query returns; fails unless Prometheus answers success. */
    private static List<Object> result(String query) throws IOException, InterruptedException {
        DocumentContext answer = JsonPath.parse(
                prometheus("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        assertThat(answer.<String>read("$.status")).as("status of %s", query).isEqualTo("success");
        return answer.read("$.data.result");
    }

    private static String prometheus(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s answered %s", pathAndQuery, response.body()).isEqualTo(200);
        return response.body();
    }
}
