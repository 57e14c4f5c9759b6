package io.github.eventfd.spring.autoconfigure;

import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerObserver;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.actuate.EventFdEndpoint;
import io.github.eventfd.spring.health.EventFdHealthIndicator;
import io.github.eventfd.spring.metrics.EventFdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class EventFdActuatorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdMetricsAutoConfiguration.class, EventFdHealthContributorAutoConfiguration.class,
                    EventFdEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class));

    /** Only this project's auto-configurations, for tests that hide optional jars from the class loader. */
    private final ApplicationContextRunner eventFdOnlyRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdMetricsAutoConfiguration.class, EventFdHealthContributorAutoConfiguration.class,
                    EventFdEndpointAutoConfiguration.class));

    @Test
    void whenMeterRegistryPresentThenChannelAndListenerMetersCountExactly() {
        this.contextRunner.withBean(TestListeners.Failing.class).withBean(TestListeners.Orders.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(EventFdMetrics.class).hasSingleBean(EventFdListenerObserver.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    registry.channel("orders").signal(3);
                    registry.channel("orders").signal();
                    registry.channel("flaky").signal();
                    TestListeners.Orders orders = context.getBean(TestListeners.Orders.class);
                    TestListeners.Failing failing = context.getBean(TestListeners.Failing.class);
                    await().until(() -> orders.counted.get() == 4 && failing.afterCalls.get() == 1);
                    assertThat(meters.get("eventfd.signals.sent").tag("channel", "orders").functionCounter().count())
                            .isEqualTo(4);
                    double received = meters.get("eventfd.signals.received").tag("channel", "orders").functionCounter()
                            .count();
                    double wakeups = meters.get("eventfd.wakeups").tag("channel", "orders").functionCounter().count();
                    assertThat(received).isEqualTo(4);
                    assertThat(wakeups).isBetween(1.0, 2.0);
                    assertThat(meters.get("eventfd.pending").tag("channel", "orders").gauge().value()).isZero();
                    assertThat(meters.get("eventfd.listener.errors").tags("channel", "flaky", "listener", "Failing.fails")
                            .counter().count()).isEqualTo(1);
                    assertThat(meters.get("eventfd.listener.errors").tags("channel", "flaky", "listener", "Failing.after")
                            .counter().count()).isZero();
                    Timer duration = meters.get("eventfd.listener.duration")
                            .tags("channel", "orders", "listener", "Orders.onCount").timer();
                    assertThat(duration.count()).isEqualTo((long) wakeups);
                    assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
                    assertThat(meters.get("eventfd.signals.sent").meter().getId().getDescription()).isNotBlank();
                });
    }

    @Test
    void whenSignalsWaitBehindABusyListenerThenPendingGaugeShowsThemWithoutConsuming() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong delivered = new AtomicLong();
        this.contextRunner.withBean(EventFdAutoConfigurationTests.Blocking.class,
                () -> new EventFdAutoConfigurationTests.Blocking(entered, release, delivered)).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    registry.channel("slow").signal();
                    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
                    registry.channel("slow").signal(7);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("eventfd.pending").tag("channel", "slow").gauge().value()).isEqualTo(7);
                    assertThat(meters.get("eventfd.pending").tag("channel", "slow").gauge().value()).isEqualTo(7);
                    release.countDown();
                    await().until(() -> delivered.get() == 8);
                    assertThat(meters.get("eventfd.pending").tag("channel", "slow").gauge().value()).isZero();
                });
    }

    @Test
    void whenMicrometerMissingThenNoMetricsBeans() {
        this.eventFdOnlyRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> assertThat(context)
                .hasSingleBean(EventFdChannelRegistry.class).doesNotHaveBean(EventFdMetrics.class));
    }

    @Test
    void whenHealthSupportPresentThenIndicatorIsUpWithChannelDetails() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=semaphore").run(context -> {
            assertThat(context).hasBean("eventfdHealthIndicator");
            var health = context.getBean(EventFdHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("implementation", CounterImplementation.EVENTFD)
                    .containsEntry("delivering", true);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) health.getDetails().get("channels");
            assertThat(channels.get("orders")).containsEntry("mode", EventFdMode.SEMAPHORE);
        });
    }

    @Test
    void whenHealthIndicatorDisabledThenNoBean() {
        this.contextRunner.withPropertyValues("management.health.eventfd.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(EventFdHealthIndicator.class));
    }

    @Test
    void whenEndpointNotExposedThenNoBean() {
        this.contextRunner.run(context -> assertThat(context).doesNotHaveBean(EventFdEndpoint.class));
    }

    @Test
    void whenCountsPassLongMaxValueThenListenersMetersAndEndpointReadThemUnsigned() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventfd")
                .withBean(TestListeners.Orders.class).run(context -> {
                    EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    orders.signal(Long.MAX_VALUE);
                    orders.signal(Long.MAX_VALUE);
                    BigInteger total = UnsignedCount.toBigInteger(EventFd.MAX_COUNT);
                    EventFdEndpoint endpoint = context.getBean(EventFdEndpoint.class);
                    await().until(() -> endpoint.channel("orders").received().equals(total));
                    assertThat(endpoint.channel("orders").sent()).isEqualTo(total);
                    assertThat(UnsignedCount.toBigInteger(context.getBean(TestListeners.Orders.class).counted.get()))
                            .isEqualTo(total);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("eventfd.signals.sent").tag("channel", "orders").functionCounter().count())
                            .isEqualTo(total.doubleValue());
                    assertThat(meters.get("eventfd.signals.received").tag("channel", "orders").functionCounter().count())
                            .isEqualTo(total.doubleValue());
                });
    }

    @Test
    void whenEndpointExposedThenItListsAndSignalsChannels() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventfd",
                "eventfd.channels.orders.initial-value=2").run(context -> {
                    EventFdEndpoint endpoint = context.getBean(EventFdEndpoint.class);
                    assertThat(endpoint.channels().channels()).containsOnlyKeys("orders");
                    assertThat(endpoint.channel("missing")).isNull();
                    assertThat(endpoint.signal("missing", 1L)).isNull();
                    EventFdEndpoint.ChannelDescriptor after = endpoint.signal("orders", 5L);
                    assertThat(after.sent()).isEqualTo(BigInteger.valueOf(5));
                    await().until(() -> endpoint.channel("orders").received().equals(BigInteger.valueOf(7)));
                    assertThat(endpoint.channel("orders").fd()).isNotNegative();
                });
    }

    @Test
    void whenActuatorMissingThenNoEndpointOrHealthBeans() {
        this.eventFdOnlyRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                "org.springframework.boot.health")).withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> assertThat(context).hasSingleBean(EventFdChannelRegistry.class)
                        .doesNotHaveBean(EventFdEndpoint.class).doesNotHaveBean(EventFdHealthIndicator.class));
    }
}
