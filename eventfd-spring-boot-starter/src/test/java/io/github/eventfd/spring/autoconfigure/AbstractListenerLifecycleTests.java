package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerContainer;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.annotation.InvalidEventFdListenerException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pause and resume of a channel, stop, start and auto-startup of a listener, for every counter implementation.
 * Whether a channel read its counter is checked after a barrier: the channels run inline on one thread (the
 * poller, or the single thread of in-memory inline dispatch), so once a channel signalled after the one under
 * test has been delivered twice, a read of the one under test would have happened.
 */
abstract class AbstractListenerLifecycleTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=" + fallback(), "eventfd.channels.orders.dispatch=inline",
                    "eventfd.channels.barrier.dispatch=inline")
            .withBean(Barrier.class);

    /**
     * The value of {@code eventfd.fallback} that selects the implementation under test.
     * @return the property value
     */
    protected abstract String fallback();

    @Test
    void whenAChannelIsPausedThenItsSignalsStayInTheCounterAndResumeDeliversTheirSumInOneDelivery() {
        this.contextRunner.withBean(Orders.class).run(context -> {
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            Orders listener = context.getBean(Orders.class);
            orders.pause();
            orders.signal(2);
            orders.signal(3);
            barrier(context);
            assertThat(orders.isPaused()).isTrue();
            assertThat(orders.pendingCount()).isEqualTo(5);
            assertThat(listener.counts).isEmpty();
            orders.resume();
            await().until(() -> !listener.counts.isEmpty());
            assertThat(listener.counts).containsExactly(5L);
            assertThat(orders.wakeupCount()).isEqualTo(1);
            assertThat(orders.pendingCount()).isZero();
        });
    }

    @Test
    void whenAListenerDoesNotStartAutomaticallyThenItsChannelReadsNothingUntilItIsStarted() {
        this.contextRunner.withBean(Waiting.class).run(context -> {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            EventFdChannel orders = registry.channel("orders");
            Waiting listener = context.getBean(Waiting.class);
            EventFdListenerContainer container = registry.listener("waiting").orElseThrow();
            assertThat(container.isRunning()).isFalse();
            assertThat(container.channel()).isSameAs(orders);
            orders.signal(4);
            orders.signal(1);
            barrier(context);
            assertThat(orders.pendingCount()).isEqualTo(5);
            assertThat(listener.counts).isEmpty();
            container.start();
            assertThat(container.isRunning()).isTrue();
            await().until(() -> !listener.counts.isEmpty());
            assertThat(listener.counts).containsExactly(5L);
        });
    }

    @Test
    void whenAutoStartupIsOffByPropertyThenListenersWithoutTheAttributeWaitAndThoseWithItRun() {
        this.contextRunner.withPropertyValues("eventfd.listener.auto-startup=false").withBean(Orders.class)
                .withBean(Eager.class).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    assertThat(registry.listener("Orders.onOrders").orElseThrow().isRunning()).isFalse();
                    assertThat(registry.listener("eager").orElseThrow().isRunning()).isTrue();
                    registry.channel("orders").signal(3);
                    Eager eager = context.getBean(Eager.class);
                    await().until(() -> !eager.counts.isEmpty());
                    assertThat(eager.counts).containsExactly(3L);
                    assertThat(context.getBean(Orders.class).counts).isEmpty();
                });
    }

    @Test
    void whenOneListenerIsStoppedThenTheOthersGoOnAndItIsCalledOnlyWithDeliveriesAfterItsStart() {
        this.contextRunner.withBean(Orders.class).withBean(Eager.class).run(context -> {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            EventFdChannel orders = registry.channel("orders");
            Orders stopped = context.getBean(Orders.class);
            Eager running = context.getBean(Eager.class);
            EventFdListenerContainer container = registry.listener("Orders.onOrders").orElseThrow();
            container.stop();
            orders.signal(2);
            await().until(() -> running.counts.size() == 1);
            container.start();
            orders.signal(3);
            await().until(() -> running.counts.size() == 2 && stopped.counts.size() == 1);
            assertThat(running.counts).containsExactly(2L, 3L);
            assertThat(stopped.counts).containsExactly(3L);
        });
    }

    @Test
    void whenTheLastRunningListenerOfAChannelStopsThenTheChannelLeavesItsSignalsInTheCounterUntilAStart() {
        this.contextRunner.withBean(Orders.class).run(context -> {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            EventFdChannel orders = registry.channel("orders");
            Orders listener = context.getBean(Orders.class);
            EventFdListenerContainer container = registry.listener("Orders.onOrders").orElseThrow();
            container.stop();
            orders.signal(6);
            barrier(context);
            assertThat(orders.pendingCount()).isEqualTo(6);
            container.start();
            await().until(() -> !listener.counts.isEmpty());
            assertThat(listener.counts).containsExactly(6L);
        });
    }

    @Test
    void whenAutoStartupIsNotABooleanThenStartupFailsNamingTheValue() {
        this.contextRunner.withBean(Misspelt.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(InvalidEventFdListenerException.class)
                    .hasMessageContaining("autoStartup = \"maybe\"").hasMessageContaining("a boolean is allowed");
        });
    }

    /** Boot binds on/off, yes/no and 1/0 to a boolean property; the listener's auto-startup reads them alike. */
    @Test
    void whenAutoStartupIsOffOrNoAsBootBindsBooleansThenListenersWaitAndYesStartsThem() {
        this.contextRunner.withPropertyValues("eventfd.listener.auto-startup=off").withBean(Orders.class)
                .withBean(Agreeing.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    assertThat(registry.listener("Orders.onOrders").orElseThrow().isRunning()).isFalse();
                    assertThat(registry.listener("agreeing").orElseThrow().isRunning()).isTrue();
                });
        this.contextRunner.withPropertyValues("eventfd.listener.auto-startup=no").withBean(Orders.class)
                .run(context -> assertThat(context.getBean(EventFdChannelRegistry.class).listener("Orders.onOrders")
                        .orElseThrow().isRunning()).isFalse());
    }

    @Test
    void whenAutoStartupIsAPlaceholderThatDoesNotResolveThenStartupFailsNamingItAndTheListener() {
        this.contextRunner.withBean(Unresolvable.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("no.such.flag")
                    .hasMessageContaining("onOrders");
        });
    }

    @Test
    void whenTwoListenersOnTwoChannelsShareAnIdThenStartupFailsSinceAnIdFindsOneListener() {
        this.contextRunner.withBean(Eager.class).withBean(EagerElsewhere.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("'eager'");
        });
    }

    @Test
    void whenAnIdIsUnknownThenNoContainerIsFound() {
        this.contextRunner.withBean(Orders.class).run(context -> {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            assertThat(registry.listener("nope")).isEmpty();
            assertThat(registry.channel("barrier").listener("Orders.onOrders")).isEmpty();
        });
    }

    /** Signal the barrier channel twice and wait for both deliveries: a read of "orders" would be done by then. */
    private static void barrier(ConfigurableApplicationContext context) {
        EventFdChannel barrier = context.getBean(EventFdChannelRegistry.class).channel("barrier");
        Barrier listener = context.getBean(Barrier.class);
        for (int round = 1; round <= 2; round++) {
            int expected = listener.counts.size() + 1;
            barrier.signal();
            await().until(() -> listener.counts.size() == expected);
        }
    }

    static class Barrier {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener("barrier")
        void onBarrier(long count) {
            this.counts.add(count);
        }
    }

    static class Orders {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        void onOrders(long count) {
            this.counts.add(count);
        }
    }

    static class Waiting {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "orders", id = "waiting", autoStartup = "false")
        void onOrders(long count) {
            this.counts.add(count);
        }
    }

    static class Eager {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "orders", id = "eager", autoStartup = "true")
        void onOrders(long count) {
            this.counts.add(count);
        }
    }

    static class EagerElsewhere {

        @EventFdListener(value = "barrier", id = "eager")
        void onBarrier() {
        }
    }

    static class Misspelt {

        @EventFdListener(value = "orders", autoStartup = "maybe")
        void onOrders() {
        }
    }

    static class Agreeing {

        @EventFdListener(value = "barrier", id = "agreeing", autoStartup = "yes")
        void onBarrier() {
        }
    }

    static class Unresolvable {

        @EventFdListener(value = "orders", autoStartup = "${no.such.flag}")
        void onOrders() {
        }
    }
}
