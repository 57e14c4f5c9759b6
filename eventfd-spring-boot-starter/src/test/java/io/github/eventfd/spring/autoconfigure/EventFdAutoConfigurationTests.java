package io.github.eventfd.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.channel.FallbackPolicy;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class EventFdAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class));

    private static EventFdNotifier notifier(ConfigurableApplicationContext context, String channel) {
        return BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), EventFdNotifier.class, channel);
    }

    @Test
    void whenNothingConfiguredThenOneDefaultChannelBackedByEventFd() {
        this.contextRunner.run(context -> {
            assertThat(context).hasSingleBean(EventFdNotifier.class).hasSingleBean(EventFdChannelRegistry.class);
            EventFdNotifier notifier = context.getBean(EventFdNotifier.class);
            assertThat(notifier.channel()).isEqualTo("default");
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            assertThat(registry.implementation()).isEqualTo(CounterImplementation.EVENTFD);
            assertThat(context.getBean(EventFdChannelLifecycle.class).isRunning()).isTrue();
        });
    }

    @Test
    void whenWebServerStopsThenChannelsStopAfterItSoRequestsInFlightCanStillSignal() {
        assertThat(EventFdChannelRegistry.PHASE)
                .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
                .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
        this.contextRunner.run(context -> assertThat(context.getBean(EventFdChannelLifecycle.class).getPhase())
                .isEqualTo(EventFdChannelRegistry.PHASE));
    }

    @Test
    void whenChannelsConfiguredThenOneNotifierQualifiedByEachName() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=semaphore",
                "eventfd.channels.orders.initial-value=3", "eventfd.channels[config.changed].dispatch=inline")
                .run(context -> {
                    assertThat(context.getBeansOfType(EventFdNotifier.class)).hasSize(2);
                    EventFdNotifier orders = notifier(context, "orders");
                    assertThat(orders.channel()).isEqualTo("orders");
                    EventFdChannel channel = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    assertThat(channel.mode()).isEqualTo(EventFdMode.SEMAPHORE);
                    assertThat(channel.dispatch()).isEqualTo(Dispatch.EXECUTOR);
                    assertThat(notifier(context, "config.changed").channel()).isEqualTo("config.changed");
                    assertThat(context.getBean(EventFdChannelRegistry.class).channel("config.changed").dispatch())
                            .isEqualTo(Dispatch.INLINE);
                });
    }

    @Test
    void whenDisabledThenNoEventFdBeans() {
        this.contextRunner.withPropertyValues("eventfd.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(EventFdChannelRegistry.class).doesNotHaveBean(EventFdNotifier.class));
    }

    @Test
    void whenCoreMissingFromClasspathThenBacksOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(EventFd.class))
                .run(context -> assertThat(context).doesNotHaveBean(EventFdChannelRegistry.class));
    }

    @Test
    void whenUserDefinesRegistryThenItIsUsed() {
        this.contextRunner.withBean("myRegistry", EventFdChannelRegistry.class,
                () -> new EventFdChannelRegistry(List.of(ChannelDefinition.withDefaults("mine")),
                        new EventFdChannelFactory(FallbackPolicy.IN_MEMORY, event -> { })))
                .run(context -> {
                    assertThat(context).hasSingleBean(EventFdChannelRegistry.class);
                    assertThat(context.getBean(EventFdChannelRegistry.class).find("mine")).isPresent();
                });
    }

    @Test
    void whenInitialValueNegativeThenStartupFailsNamingTheProperty() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.initial-value=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.contains("'eventfd.channels.orders'"))
                    .anyMatch(m -> m.contains("initial-value"));
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("must be between 0 and 4294967295 but was -1");
        });
    }

    @Test
    void whenModeUnknownThenStartupFailsNamingTheProperty() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=fifo").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .anyMatch(m -> m.contains("'eventfd.channels.orders.mode'")).anyMatch(m -> m.contains("fifo"));
        });
    }

    @Test
    void whenChannelNameInvalidThenStartupFailsNamingIt() {
        this.contextRunner.withPropertyValues("eventfd.channels[bad name].mode=counter").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("channel name 'bad name' is not allowed");
        });
    }

    @Test
    void whenPollerOrShutdownSettingOutOfRangeThenStartupFailsNamingTheProperty() {
        this.contextRunner.withPropertyValues("eventfd.poller.max-events-per-wait=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("'eventfd.poller.max-events-per-wait' must be between 1 and 4096 but was 0");
        });
        this.contextRunner.withPropertyValues("eventfd.shutdown.drain-timeout=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.contains("drain-timeout"));
            assertThat(context.getStartupFailure()).rootCause().hasMessage("must be zero or positive but was PT-1S");
        });
        this.contextRunner.withPropertyValues("eventfd.poller.thread-name= ").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("'eventfd.poller.thread-name' must not be blank");
        });
    }

    @Test
    void whenExecutorThreadsUnsetThenOneListenerThreadPerExecutorChannel() {
        this.contextRunner.withPropertyValues("eventfd.channels.a.dispatch=executor",
                "eventfd.channels.b.dispatch=executor", "eventfd.channels.c.dispatch=inline").run(context -> {
                    ThreadPoolExecutor executor = context.getBean(EventFdAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME,
                            ThreadPoolExecutor.class);
                    assertThat(executor.getMaximumPoolSize()).isEqualTo(2);
                });
    }

    @Test
    void whenExecutorThreadsSetThenTheListenerExecutorHasThatMany() {
        this.contextRunner.withPropertyValues("eventfd.listener.executor-threads=5").run(context -> assertThat(
                context.getBean(EventFdAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME, ThreadPoolExecutor.class)
                        .getMaximumPoolSize()).isEqualTo(5));
        this.contextRunner.withPropertyValues("eventfd.listener.executor-threads=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.contains("executor-threads"));
            assertThat(context.getStartupFailure()).rootCause().hasMessage("must be 1 or more but was 0");
        });
    }

    @Test
    void whenUserDefinesListenerExecutorThenListenersRunOnIt() {
        this.contextRunner.withBean(EventFdAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME, Executor.class,
                () -> runnable -> new Thread(runnable, "my-listener").start())
                .withBean(TestListeners.Orders.class).run(context -> {
                    TestListeners.Orders listeners = context.getBean(TestListeners.Orders.class);
                    notifier(context, "orders").signal();
                    await().until(() -> listeners.counted.get() == 1);
                    assertThat(listeners.threads).containsExactly("my-listener");
                });
    }

    @Test
    void whenFallbackInMemoryThenChannelsAreInMemoryAndStillDeliver() {
        this.contextRunner.withPropertyValues("eventfd.fallback=in-memory")
                .withBean(TestListeners.Orders.class).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    assertThat(registry.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
                    assertThat(registry.channel("orders").descriptorNumber()).isEqualTo(-1);
                    EventFdNotifier orders = notifier(context, "orders");
                    for (int i = 0; i < 1000; i++) {
                        orders.signal();
                    }
                    TestListeners.Orders listeners = context.getBean(TestListeners.Orders.class);
                    await().until(() -> listeners.counted.get() == 1000);
                    assertThat(orders.pendingCount()).isZero();
                });
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
                    await().until(() -> bulk.wakeupCount() == 2);
                    assertThat(listener.counts).containsExactly(12L);
                });
    }

    @Test
    void whenListenerSignatureNotAllowedThenStartupFailsNamingTheMethod() {
        this.contextRunner.withBean(TestListeners.BadSignature.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("BadSignature.wrong(java.lang.String)")
                    .hasMessageContaining("must take no parameter, a long count or an EventFdSignalEvent");
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
            holder[0] = (GenericApplicationContext) context.getSourceApplicationContext();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(holder[0]::close);
            Thread.sleep(100);
            release.countDown();
            closing.get(20, TimeUnit.SECONDS);
            assertThat(delivered.get()).isEqualTo(6);
        });
    }

    @Test
    void whenContextClosedThenNoEventFdOrThreadSurvives() {
        long fdsBefore = EventFdResources.descriptors();
        List<String> threadsBefore = EventFdResources.threads();
        for (int i = 0; i < 20; i++) {
            this.contextRunner.withPropertyValues("eventfd.channels.a.mode=counter", "eventfd.channels.b.dispatch=inline")
                    .withBean(TestListeners.Orders.class).run(context -> {
                        notifier(context, "orders").signal();
                        await().until(() -> context.getBean(TestListeners.Orders.class).counted.get() == 1);
                    });
        }
        assertThat(EventFdResources.descriptors()).isEqualTo(fdsBefore);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(EventFdResources.threads()).isEqualTo(threadsBefore));
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
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
}
