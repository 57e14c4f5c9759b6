package io.github.eventfd.spring.review2;

import java.time.Duration;
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
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.channel.ChannelTestAccess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review 2 attack: the last listener of a channel is stopped after the channel read a count but before the
 * delivery reached the listener (here: an inline delivery, on the poller or inline thread, waits for the channel's gate, held by a resync running on the listener executor). The container's
 * contract is that a channel whose listeners are all stopped leaves its signals for the first start; instead the
 * count read before the stop is delivered to nobody and is gone: the start finds nothing.
 */
class StopLosesReadDeliveryAttackTests {

    @ParameterizedTest
    @ValueSource(strings = { "in-memory", "fail" })
    void aCountReadBeforeTheLastListenerStopsIsDeliveredAfterItsStart(String fallback) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
                .withPropertyValues("eventfd.fallback=" + fallback, "eventfd.channels.orders.dispatch=inline")
                .withBean(Only.class).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    EventFdChannel orders = registry.channel("orders");
                    EventFdListenerContainer container = registry.listener("only").orElseThrow();
                    Only listener = context.getBean(Only.class);
                    ChannelTestAccess.resync(orders, "hold the gate");
                    assertThat(listener.inResync.await(10, TimeUnit.SECONDS)).isTrue();
                    orders.signal(3);
                    await().atMost(Duration.ofSeconds(5)).until(() -> orders.pendingCount() == 0);
                    Thread.sleep(100);
                    container.stop();
                    listener.release.countDown();
                    await().atMost(Duration.ofSeconds(5)).until(() -> orders.receivedCount() == 3);
                    Thread.sleep(100);
                    container.start();
                    Thread.sleep(500);
                    assertThat(listener.counts).as("pending now: " + orders.pendingCount()).containsExactly(3L);
                });
    }

    static class Only {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        final CountDownLatch inResync = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @EventFdListener(value = "orders", id = "only", resync = true)
        void onOrders(EventFdChannelEvent event) throws InterruptedException {
            if (event instanceof EventFdResyncEvent) {
                this.inResync.countDown();
                this.release.await(20, TimeUnit.SECONDS);
            }
            else if (event instanceof EventFdSignalEvent signal) {
                this.counts.add(signal.getCount());
            }
        }
    }
}
