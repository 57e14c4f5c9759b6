package io.github.eventfd.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.FallbackPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EventFdAutoConfiguration}: which beans exist and how properties configure them. Delivery is tested in
 * {@link EventFdDeliveryTests} and {@link InMemoryDeliveryTests}; without a Linux gate, these run in-memory where
 * the fallback applies.
 */
class EventFdAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class));

    private static EventFdNotifier notifier(ConfigurableApplicationContext context, String channel) {
        return BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), EventFdNotifier.class, channel);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
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
    void whenUserDefinesChannelFactoryThenTheRegistryCreatesChannelsWithIt() {
        this.contextRunner.withBean("myFactory", EventFdChannelFactory.class,
                () -> new EventFdChannelFactory(FallbackPolicy.IN_MEMORY, event -> { })).run(context -> {
                    assertThat(context).hasSingleBean(EventFdChannelFactory.class);
                    assertThat(context.getBean(EventFdChannelRegistry.class).implementation())
                            .isEqualTo(CounterImplementation.IN_MEMORY);
                    assertThat(context.getBean(EventFdChannelRegistry.class).channel("default").descriptorNumber())
                            .isEqualTo(-1);
                });
    }

    @Test
    void whenContextRunsThenTheLifecycleDeliversAndStopsWithIt() {
        this.contextRunner.run(context -> {
            EventFdChannelLifecycle lifecycle = context.getBean(EventFdChannelLifecycle.class);
            EventFdChannel channel = context.getBean(EventFdChannelRegistry.class).channel("default");
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.isDelivering()).isTrue();
            context.close();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(lifecycle.isDelivering()).isFalse();
            assertThat(channel.isClosed()).isTrue();
        });
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
