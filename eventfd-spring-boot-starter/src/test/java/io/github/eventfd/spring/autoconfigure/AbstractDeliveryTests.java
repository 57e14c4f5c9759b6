package io.github.eventfd.spring.autoconfigure;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.actuate.EventFdEndpoint;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.annotation.InvalidEventFdListenerException;
import io.github.eventfd.spring.channel.ChannelTestAccess;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;
import io.github.eventfd.spring.listener.RetryingListenerErrorHandler;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How signals reach listeners, for every counter implementation: a subclass names the fallback policy that
 * picks it, as {@code EventCounterContractTests} does for the core's counters.
 */
abstract class AbstractDeliveryTests {

    protected final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=" + fallback());

    /** With the meters and the endpoint, for what users read there. */
    protected final ApplicationContextRunner actuatorRunner = this.contextRunner
            .withConfiguration(AutoConfigurations.of(EventFdMetricsAutoConfiguration.class,
                    EventFdEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    EndpointAutoConfiguration.class));

    /**
     * The value of {@code eventfd.fallback} that selects the implementation under test.
     * @return the property value
     */
    protected abstract String fallback();

    protected static EventFdNotifier notifier(ConfigurableApplicationContext context, String channel) {
        return BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), EventFdNotifier.class, channel);
    }

    @Test
    void whenListenersThenEachStyleGetsItsChannelAndPlainListenersSeeAll() {
        this.contextRunner.withPropertyValues("eventfd.channels.other.mode=counter")
                .withBean(TestListeners.Orders.class).run(context -> {
                    TestListeners.Orders listeners = context.getBean(TestListeners.Orders.class);
                    notifier(context, "orders").signal(5);
                    await().until(() -> listeners.counted.get() == 5);
                    notifier(context, "other").signal(2);
                    await().until(() -> listeners.allChannels.size() == 2);
                    assertThat(listeners.noArgCalls.get()).isEqualTo(1);
                    assertThat(listeners.events).singleElement().satisfies(event -> {
                        assertThat(event.getChannel()).isEqualTo("orders");
                        assertThat(event.getCount()).isEqualTo(5);
                        assertThat(event.isCoalesced()).isTrue();
                    });
                    assertThat(listeners.allChannels).extracting("channel").containsExactlyInAnyOrder("orders", "other");
                    assertThat(listeners.threads).allMatch(name -> name.startsWith("eventfd-listener-"));
                    assertThat(context.getBean(EventFdChannelRegistry.class).channel("orders").listeners())
                            .containsExactlyInAnyOrder("Orders.onCount", "Orders.onSignal", "Orders.onEvent");
                });
    }

    @Test
    void whenDispatchInlineThenListenersRunOnThePollerThread() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.dispatch=inline",
                "eventfd.poller.thread-name=orders-poller").withBean(TestListeners.Orders.class).run(context -> {
                    TestListeners.Orders listeners = context.getBean(TestListeners.Orders.class);
                    notifier(context, "orders").signal();
                    await().until(() -> listeners.counted.get() == 1);
                    assertThat(listeners.threads).containsExactly("orders-poller");
                });
    }

    @Test
    void whenSemaphoreModeThenEachUnitIsOneDelivery() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=semaphore")
                .withBean(TestListeners.Orders.class).run(context -> {
                    TestListeners.Orders listeners = context.getBean(TestListeners.Orders.class);
                    notifier(context, "orders").signal(4);
                    await().until(() -> listeners.counted.get() == 4);
                    assertThat(listeners.events).hasSize(4).allMatch(event -> event.getCount() == 1);
                });
    }

    @Test
    void whenListenerThrowsThenOthersRunAndDeliveryContinues() {
        this.contextRunner.withBean(TestListeners.Failing.class).run(context -> {
            TestListeners.Failing listeners = context.getBean(TestListeners.Failing.class);
            EventFdNotifier flaky = notifier(context, "flaky");
            flaky.signal();
            await().until(() -> listeners.afterCalls.get() == 1);
            flaky.signal(2);
            await().until(() -> listeners.afterCalls.get() == 3);
            assertThat(listeners.failingCalls.get()).isEqualTo(2);
        });
    }

    @Test
    void whenListenerNamesAnUnconfiguredChannelThenItIsCreatedWithDefaults() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=counter")
                .withBean(TestListeners.Undeclared.class).run(context -> {
                    EventFdChannel audit = context.getBean(EventFdChannelRegistry.class).channel("audit");
                    assertThat(audit.mode()).isEqualTo(EventFdMode.COUNTER);
                    assertThat(audit.dispatch()).isEqualTo(Dispatch.EXECUTOR);
                    notifier(context, "audit").signal(7);
                    TestListeners.Undeclared listener = context.getBean(TestListeners.Undeclared.class);
                    await().until(() -> listener.received.get() == 7);
                });
    }

    @Test
    void whenConditionGivenThenOnlyMatchingDeliveriesCallTheListener() {
        this.contextRunner.withPropertyValues("eventfd.channels.bulk.dispatch=inline")
                .withBean(TestListeners.Conditional.class).run(context -> {
                    TestListeners.Conditional listener = context.getBean(TestListeners.Conditional.class);
                    EventFdChannel bulk = context.getBean(EventFdChannelRegistry.class).channel("bulk");
                    bulk.signal(3);
                    await().until(() -> bulk.wakeupCount() == 1);
                    bulk.signal(12);
                    // the wake-up is counted before the listener runs: wait for the call too
                    await().until(() -> bulk.wakeupCount() == 2 && !listener.counts.isEmpty());
                    assertThat(listener.counts).containsExactly(12L);
                });
    }

    @Test
    void whenTheMulticasterIsAsynchronousThenListenersStillRunOneDeliveryAtATimeAndPlainListenersFollowIt() {
        ExecutorService multicasterThreads = Executors.newFixedThreadPool(4, runnable -> new Thread(runnable,
                "multicaster"));
        try {
            this.contextRunner.withBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME,
                    SimpleApplicationEventMulticaster.class, () -> {
                        SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
                        multicaster.setTaskExecutor(multicasterThreads);
                        return multicaster;
                    }).withBean(TestListeners.Overlap.class).run(context -> {
                        TestListeners.Overlap listener = context.getBean(TestListeners.Overlap.class);
                        EventFdNotifier orders = notifier(context, "orders");
                        for (int i = 0; i < 60; i++) {
                            orders.signal();
                            LockSupport.parkNanos(1_000_000);
                        }
                        await().until(() -> listener.received.get() == 60);
                        await().until(() -> listener.plainReceived.get() == 60);
                        assertThat(listener.maxAtOnce).hasValue(1);
                        assertThat(listener.plainThreads).allMatch("multicaster"::equals);
                    });
        }
        finally {
            multicasterThreads.shutdownNow();
        }
    }

    @Test
    void whenAResyncArrivesDuringADeliveryThenItWaitsUntilTheDeliveryReturns() {
        // two listener threads, so that nothing but the channel's own gate keeps the resync out
        this.contextRunner.withPropertyValues("eventfd.listener.executor-threads=2")
                .withBean(TestListeners.SlowResync.class).run(context -> {
                    TestListeners.SlowResync listener = context.getBean(TestListeners.SlowResync.class);
                    notifier(context, "orders").signal();
                    assertThat(listener.deliveryEntered.await(10, TimeUnit.SECONDS)).isTrue();
                    ChannelTestAccess.resync(context.getBean(EventFdChannelRegistry.class).channel("orders"), "test");
                    boolean overlapped = listener.resyncEntered.await(300, TimeUnit.MILLISECONDS);
                    listener.releaseDelivery.countDown();
                    assertThat(overlapped).as("the resync ran while the delivery was running").isFalse();
                    assertThat(listener.resyncEntered.await(10, TimeUnit.SECONDS)).isTrue();
                    await().until(() -> listener.log.size() == 4);
                    assertThat(listener.log).containsExactly("delivery start", "delivery end", "resync start",
                            "resync end");
                });
    }

    @Test
    void whenAsyncIsEnabledAndAListenerIsAsyncThenStartupFailsInsteadOfRunningDeliveriesAtOnce() {
        this.contextRunner.withUserConfiguration(AsyncListenerConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(InvalidEventFdListenerException.class)
                    .hasMessageContaining("AsyncListener.onOrders()").hasMessageContaining("Remove @Async");
        });
    }

    @Test
    void whenRetryEnabledThenAFailedCountIsDeliveredAgainUntilTheListenerTakesIt() {
        this.actuatorRunner.withPropertyValues("eventfd.listener.retry.enabled=true",
                "eventfd.listener.retry.max-attempts=3", "eventfd.listener.retry.initial-interval=10ms")
                .withBean(TestListeners.Flaky.class, () -> new TestListeners.Flaky(2)).run(context -> {
                    TestListeners.Flaky listener = context.getBean(TestListeners.Flaky.class);
                    notifier(context, "flaky").signal(5);
                    await().until(() -> listener.received.get() == 5);
                    assertThat(listener.calls).hasValue(3);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("eventfd.listener.errors").tag("listener", "Flaky.onFlaky").counter().count())
                            .isEqualTo(2);
                    assertThat(meters.get("eventfd.listener.retries").tag("listener", "Flaky.onFlaky").counter().count())
                            .isEqualTo(2);
                    assertThat(meters.get("eventfd.listener.given.up").tag("listener", "Flaky.onFlaky").counter()
                            .count()).isZero();
                    assertThat(context.getBean(EventFdChannelRegistry.class).channel("flaky").sentCount()).isEqualTo(5);
                });
    }

    @Test
    void whenRetriesRunOutThenTheFailureIsGivenUpAndNotDeliveredAgain() {
        this.actuatorRunner.withPropertyValues("eventfd.listener.retry.enabled=true",
                "eventfd.listener.retry.max-attempts=3", "eventfd.listener.retry.initial-interval=10ms")
                .withBean(TestListeners.Flaky.class, () -> new TestListeners.Flaky(Integer.MAX_VALUE)).run(context -> {
                    TestListeners.Flaky listener = context.getBean(TestListeners.Flaky.class);
                    notifier(context, "flaky").signal();
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    await().until(() -> meters.get("eventfd.listener.given.up").counter().count() == 1);
                    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                            .until(() -> listener.calls.get() == 3);
                    assertThat(meters.get("eventfd.listener.retries").counter().count()).isEqualTo(2);
                    assertThat(listener.received).hasValue(0);
                });
    }

    @Test
    void whenAListenerNamesAnErrorHandlerBeanThenThatBeanDecides() {
        this.contextRunner.withBean("ordersRetry", EventFdListenerErrorHandler.class,
                () -> new RetryingListenerErrorHandler(new FixedBackOff(10, 1)))
                .withBean(TestListeners.NamedRetry.class).run(context -> {
                    TestListeners.NamedRetry listener = context.getBean(TestListeners.NamedRetry.class);
                    notifier(context, "orders").signal();
                    // one delivery and the one retry its back-off allows; retry.enabled is false for the others
                    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                            .until(() -> listener.calls.get() == 2);
                });
    }

    @Test
    void whenListenerSignatureNotAllowedThenStartupFailsNamingTheMethod() {
        this.contextRunner.withBean(TestListeners.BadSignature.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(InvalidEventFdListenerException.class)
                    .hasMessageContaining("BadSignature.wrong(java.lang.String)")
                    .hasMessageContaining("Take no parameter, a long count or an EventFdSignalEvent");
        });
    }

    @Test
    void whenContextClosesThenSignalsAlreadyMadeAreDrainedToListeners() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong delivered = new AtomicLong();
        GenericApplicationContext[] holder = new GenericApplicationContext[1];
        this.contextRunner.withBean(Blocking.class, () -> new Blocking(entered, release, delivered)).run(context -> {
            EventFdNotifier notifier = notifier(context, "slow");
            notifier.signal();
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            notifier.signal(5);
            EventFdChannelLifecycle lifecycle = context.getBean(EventFdChannelLifecycle.class);
            holder[0] = (GenericApplicationContext) context.getSourceApplicationContext();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(holder[0]::close);
            // stop() has begun (it marks the lifecycle stopped first) and waits for the running listener
            await().until(() -> !lifecycle.isRunning());
            release.countDown();
            closing.get(20, TimeUnit.SECONDS);
            assertThat(delivered.get()).isEqualTo(6);
        });
    }

    @Test
    void whenCountsPassLongMaxValueThenListenersMetersAndEndpointReadThemUnsigned() {
        this.actuatorRunner.withPropertyValues("management.endpoints.web.exposure.include=eventfd")
                .withBean(TestListeners.Orders.class).run(context -> {
                    EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    orders.signal(Long.MAX_VALUE);
                    orders.signal(Long.MAX_VALUE);
                    BigInteger total = UnsignedCount.toBigInteger(EventFd.MAX_COUNT);
                    EventFdEndpoint endpoint = context.getBean(EventFdEndpoint.class);
                    TestListeners.Orders listener = context.getBean(TestListeners.Orders.class);
                    // the channel counts what it read before it calls the listeners: wait for the listener
                    await().until(() -> UnsignedCount.toBigInteger(listener.counted.get()).equals(total));
                    assertThat(endpoint.channel("orders").received()).isEqualTo(total);
                    assertThat(endpoint.channel("orders").sent()).isEqualTo(total);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("eventfd.signals.sent").tag("channel", "orders").functionCounter().count())
                            .isEqualTo(total.doubleValue());
                    assertThat(meters.get("eventfd.signals.received").tag("channel", "orders").functionCounter().count())
                            .isEqualTo(total.doubleValue());
                });
    }

    /** Blocks its first delivery until released. */
    static class Blocking {

        private final CountDownLatch entered;

        private final CountDownLatch release;

        private final AtomicLong delivered;

        Blocking(CountDownLatch entered, CountDownLatch release, AtomicLong delivered) {
            this.entered = entered;
            this.release = release;
            this.delivered = delivered;
        }

        @EventFdListener("slow")
        void onSlow(long count) throws InterruptedException {
            this.entered.countDown();
            this.release.await();
            this.delivered.addAndGet(count);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncListenerConfiguration {

        @Bean
        AsyncListener asyncListener() {
            return new AsyncListener();
        }
    }

    static class AsyncListener {

        @Async
        @EventFdListener("orders")
        void onOrders() {
        }
    }
}
