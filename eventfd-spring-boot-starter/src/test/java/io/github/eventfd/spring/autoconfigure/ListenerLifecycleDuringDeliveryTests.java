package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerContainer;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.channel.ChannelTestAccess;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pause and resume of a channel, stop and start of its only listener, while a delivery of that channel is still
 * running or waiting for the channel's gate: nothing throws, the channel reads again once it may, and no count
 * is lost or delivered twice.
 */
@EnabledOnOs(OS.LINUX)
class ListenerLifecycleDuringDeliveryTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class));

    /** The registration left by the pause still holds the eventfd in the epoll set until the listener returns. */
    @ParameterizedTest
    @CsvSource({ "fail,executor", "fail,inline" })
    void whenAChannelIsPausedAndResumedWhileItsListenerRunsThenResumeSucceedsAndLaterSignalsAreDelivered(
            String fallback, String dispatch) {
        this.contextRunner.withPropertyValues("eventfd.fallback=" + fallback, "eventfd.channels.orders.dispatch="
                + dispatch).withBean(Slow.class).run(context -> {
                    EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    Slow slow = context.getBean(Slow.class);
                    orders.signal(1);
                    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
                    orders.pause();
                    orders.resume();
                    assertThat(orders.isPaused()).isFalse();
                    slow.release.countDown();
                    orders.signal(7);
                    await().until(() -> slow.counts.size() == 2);
                    quiesce(context);
                    assertThat(slow.counts).containsExactly(1L, 7L);
                    assertThat(orders.receivedCount()).isEqualTo(8);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = { "fail" })
    void whenTheOnlyListenerIsStoppedAndStartedWhileItRunsThenStartSucceedsAndLaterSignalsAreDelivered(
            String fallback) {
        this.contextRunner.withPropertyValues("eventfd.fallback=" + fallback, "eventfd.channels.orders.dispatch="
                + "executor").withBean(Slow.class).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    EventFdChannel orders = registry.channel("orders");
                    Slow slow = context.getBean(Slow.class);
                    EventFdListenerContainer container = registry.listener("slow").orElseThrow();
                    orders.signal(1);
                    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
                    container.stop();
                    container.start();
                    assertThat(container.isRunning()).isTrue();
                    slow.release.countDown();
                    orders.signal(7);
                    await().until(() -> slow.counts.size() == 2);
                    quiesce(context);
                    assertThat(slow.counts).containsExactly(1L, 7L);
                });
    }

    /**
     * The delivery read its count and waits for the gate, which a resync holds, when the last listener stops: the
     * count goes back into the counter, and the next start delivers it.
     */
    @ParameterizedTest
    @ValueSource(strings = { "fail", "in-memory" })
    void whenTheLastListenerStopsAfterACountWasReadThenTheCountGoesBackAndTheNextStartDeliversIt(String fallback) {
        this.contextRunner.withPropertyValues("eventfd.fallback=" + fallback, "eventfd.channels.orders.dispatch=inline")
                .withBean(HeldByResync.class).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    EventFdChannel orders = registry.channel("orders");
                    EventFdListenerContainer container = registry.listener("held").orElseThrow();
                    HeldByResync listener = context.getBean(HeldByResync.class);
                    ChannelTestAccess.resync(orders, "hold the gate");
                    assertThat(listener.inResync.await(10, TimeUnit.SECONDS)).isTrue();
                    orders.signal(3);
                    // read by the inline delivery, which now waits for the gate
                    await().until(() -> orders.pendingCount() == 0);
                    container.stop();
                    listener.release.countDown();
                    await().until(() -> orders.pendingCount() == 3);
                    assertThat(listener.counts).isEmpty();
                    assertThat(orders.receivedCount()).isZero();
                    container.start();
                    await().until(() -> listener.counts.size() == 1);
                    quiesce(context);
                    assertThat(listener.counts).containsExactly(3L);
                    assertThat(orders.receivedCount()).isEqualTo(3);
                });
    }

    /** Stop delivering (waits for running listeners and drains): counts read after this are final. */
    static void quiesce(ConfigurableApplicationContext context) {
        context.getBean(EventFdChannelLifecycle.class).stop();
    }

    static class Slow {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @EventFdListener(value = "orders", id = "slow")
        void onOrders(long count) throws InterruptedException {
            this.entered.countDown();
            assertThat(this.release.await(20, TimeUnit.SECONDS)).isTrue();
            this.counts.add(count);
        }
    }

    static class HeldByResync {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        final CountDownLatch inResync = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @EventFdListener(value = "orders", id = "held", resync = true)
        void onOrders(EventFdChannelEvent event) throws InterruptedException {
            if (event instanceof EventFdResyncEvent) {
                this.inResync.countDown();
                assertThat(this.release.await(20, TimeUnit.SECONDS)).isTrue();
            }
            else if (event instanceof EventFdSignalEvent signal) {
                this.counts.add(signal.getCount());
            }
        }
    }
}
