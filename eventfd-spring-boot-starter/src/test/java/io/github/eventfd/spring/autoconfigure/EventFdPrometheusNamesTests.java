package io.github.eventfd.spring.autoconfigure;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.TestListeners;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The names Prometheus users see: every meter of the starter scraped from Boot's real Prometheus registry,
 * with a shared channel and a listener so that every meter exists. Counted things carry no pseudo-unit, and the
 * listener-duration histogram follows Boot's opt-in property.
 */
@EnabledOnOs(OS.LINUX)
class EventFdPrometheusNamesTests {

    private static final String HISTOGRAM =
            "management.metrics.distribution.percentiles-histogram.eventfd.listener.duration=true";

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class))
            .withBean(TestListeners.Orders.class);

    private ApplicationContextRunner shared() {
        return this.contextRunner.withPropertyValues(
                "eventfd.channels.orders.share.socket=" + this.directory.resolve("orders.sock"));
    }

    @Test
    void whenScrapedThenEveryMeterHasItsPrometheusNameWithoutARepeatedUnit() {
        shared().run(context -> {
            String scrape = scrapeAfterADelivery(context);
            assertThat(names(scrape)).containsExactlyInAnyOrder("eventfd_signals_sent_total",
                    "eventfd_signals_received_total", "eventfd_signals_failed_total", "eventfd_wakeups_total",
                    "eventfd_pending", "eventfd_peers", "eventfd_share_errors_total", "eventfd_listener_errors_total",
                    "eventfd_listener_retries_total", "eventfd_listener_given_up_total",
                    "eventfd_listener_duration_seconds_count", "eventfd_listener_duration_seconds_sum",
                    "eventfd_listener_duration_seconds_max");
        });
    }

    @Test
    void whenTheHistogramIsNotAskedForThenTheDurationHasNoBuckets() {
        this.contextRunner.run(context -> assertThat(scrapeAfterADelivery(context))
                .doesNotContain("eventfd_listener_duration_seconds_bucket"));
    }

    @Test
    void whenBootsPercentilesHistogramPropertyAsksForItThenTheDurationHasBuckets() {
        this.contextRunner.withPropertyValues(HISTOGRAM).run(context -> assertThat(
                Arrays.stream(scrapeAfterADelivery(context).split("\n"))
                        .filter(line -> line.startsWith("eventfd_listener_duration_seconds_bucket{"))
                        .filter(line -> line.contains("listener=\"Orders.onCount\"") && line.contains("le=\"+Inf\"")))
                .singleElement().satisfies(line -> assertThat(line).endsWith(" 1")));
    }

    private static String scrapeAfterADelivery(AssertableApplicationContext context) {
        context.getBean(EventFdChannelRegistry.class).channel("orders").signal();
        PrometheusMeterRegistry prometheus = context.getBean(PrometheusMeterRegistry.class);
        // the duration is recorded once the listener returned
        await().until(() -> prometheus.get("eventfd.listener.duration").tags("channel", "orders", "listener",
                "Orders.onCount").timer().count() == 1);
        return prometheus.scrape();
    }

    /** The sample names of the starter's meters in a scrape. */
    private static Set<String> names(String scrape) {
        return Arrays.stream(scrape.split("\n")).filter(line -> line.startsWith("eventfd_"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }
}
