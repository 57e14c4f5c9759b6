package io.github.eventfd.spring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Pause, resume, stop and start in the synchronous test mode: delivered before the call returns, never nested. */
class SynchronousDeliveryPauseTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdSynchronousDeliveryAutoConfiguration.class,
                    EventFdAutoConfiguration.class))
            .withPropertyValues("eventfd-test.synchronous=true");

    @Test
    void whenPausedThenSignalsStayAndResumeDeliversTheirSumOnTheCallersThreadBeforeReturning() {
        this.contextRunner.withBean(Orders.class).run(context -> {
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            Orders listener = context.getBean(Orders.class);
            orders.pause();
            orders.signal(2);
            orders.signal(3);
            assertThat(listener.counts).isEmpty();
            assertThat(orders.pendingCount()).isEqualTo(5);
            orders.resume();
            assertThat(listener.counts).containsExactly(5L);
            assertThat(listener.threads).containsExactly(Thread.currentThread().getName());
        });
    }

    @Test
    void whenTheOnlyListenerIsStoppedThenStartDeliversTheSumBeforeReturning() {
        this.contextRunner.withBean(Orders.class).run(context -> {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            EventFdChannel orders = registry.channel("orders");
            Orders listener = context.getBean(Orders.class);
            registry.listener("Orders.onOrders").orElseThrow().stop();
            orders.signal(4);
            assertThat(listener.counts).isEmpty();
            registry.listener("Orders.onOrders").orElseThrow().start();
            assertThat(listener.counts).containsExactly(4L);
        });
    }

    /**
     * Deliveries are never nested: a listener's own signal is delivered after it returns, also when the listener
     * pauses and resumes its channel (backpressure) in between, which replaces the channel's dispatch.
     */
    @Test
    void whenAListenerPausesAndResumesItsOwnChannelThenItIsNotReenteredFromInsideItsCall() {
        this.contextRunner.withBean(Backpressure.class).run(context -> {
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            Backpressure listener = context.getBean(Backpressure.class);
            listener.channel = orders;
            orders.signal();
            assertThat(listener.maxDepth.get()).as("nesting depth of the listener").isEqualTo(1);
            assertThat(listener.counts).containsExactly(1L, 1L);
        });
    }

    static class Orders {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        final List<String> threads = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        void onOrders(long count) {
            this.counts.add(count);
            this.threads.add(Thread.currentThread().getName());
        }
    }

    static class Backpressure {

        volatile EventFdChannel channel;

        final List<Long> counts = new CopyOnWriteArrayList<>();

        final AtomicInteger depth = new AtomicInteger();

        final AtomicInteger maxDepth = new AtomicInteger();

        @EventFdListener("orders")
        void onOrders(long count) {
            int now = this.depth.incrementAndGet();
            this.maxDepth.accumulateAndGet(now, Math::max);
            try {
                this.counts.add(count);
                if (this.counts.size() == 1) {
                    this.channel.signal();
                    this.channel.pause();
                    this.channel.resume();
                }
            }
            finally {
                this.depth.decrementAndGet();
            }
        }
    }
}
