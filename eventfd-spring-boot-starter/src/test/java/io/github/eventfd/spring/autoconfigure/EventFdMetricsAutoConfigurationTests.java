package io.github.eventfd.spring.autoconfigure;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.channel.ListenerInterceptor;
import io.github.eventfd.spring.metrics.EventFdListenerMetrics;
import io.github.eventfd.spring.metrics.EventFdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link EventFdMetricsAutoConfiguration}: the meters exist with a meter registry, and count what users read. */
class EventFdMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

    /** Without Boot's metrics auto-configuration, so without a meter registry. */
    private final ApplicationContextRunner withoutRegistryRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdMetricsAutoConfiguration.class));

    @Test
    void whenMeterRegistryPresentThenChannelAndListenerMetersCountExactly() {
        this.contextRunner.withBean(TestListeners.Failing.class).withBean(TestListeners.Orders.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(EventFdMetrics.class).hasSingleBean(EventFdListenerMetrics.class);
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
                    // recorded when the listener returns, after the count it made is visible
                    await().until(() -> duration.count() == (long) wakeups);
                    assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
                    assertThat(meters.get("eventfd.signals.sent").meter().getId().getDescription()).isNotBlank();
                });
    }

    @Test
    void whenSignalsWaitBehindABusyListenerThenPendingGaugeShowsThemWithoutConsuming() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong delivered = new AtomicLong();
        this.contextRunner.withBean(AbstractDeliveryTests.Blocking.class,
                () -> new AbstractDeliveryTests.Blocking(entered, release, delivered)).run(context -> {
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
        this.withoutRegistryRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> assertThat(context)
                .hasSingleBean(EventFdChannelRegistry.class).doesNotHaveBean(EventFdMetrics.class));
    }

    @Test
    void whenNoMeterRegistryThenNoMetricsBeans() {
        this.withoutRegistryRunner.run(context -> assertThat(context).hasSingleBean(EventFdChannelRegistry.class)
                .doesNotHaveBean(EventFdMetrics.class).doesNotHaveBean(ListenerInterceptor.class));
    }

    @Test
    void whenUserDefinesAListenerInterceptorThenItAddsToTheListenerMetersRatherThanReplacingThem() {
        ListenerInterceptor own = (channel, listener) -> (event, call) -> call.proceed();
        this.contextRunner.withBean("ownInterceptor", ListenerInterceptor.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(EventFdMetrics.class).hasSingleBean(EventFdListenerMetrics.class);
            assertThat(context.getBeanProvider(ListenerInterceptor.class).orderedStream()).hasSize(2).contains(own);
        });
    }
}
