package io.github.eventfd.spring.review2;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerContainer;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review 2 attack: one thread signals 20,000 times while another stops/starts the only listener and
 * pauses/resumes the channel as fast as it can. At the end (started, resumed) the listener must have received
 * exactly what was sent, and no toggle may have thrown.
 */
class ToggleStressAttackTests {

    @ParameterizedTest
    @CsvSource({ "in-memory,executor", "in-memory,inline", "fail,executor", "fail,inline" })
    void togglingWhileSignallingLosesNothingDoublesNothingAndNeverThrows(String fallback, String dispatch) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
                .withPropertyValues("eventfd.fallback=" + fallback, "eventfd.channels.orders.dispatch=" + dispatch)
                .withBean(Counting.class).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    EventFdChannel orders = registry.channel("orders");
                    EventFdListenerContainer container = registry.listener("counting").orElseThrow();
                    Counting listener = context.getBean(Counting.class);
                    AtomicBoolean done = new AtomicBoolean();
                    List<Throwable> thrown = new CopyOnWriteArrayList<>();
                    Thread toggler = new Thread(() -> {
                        int i = 0;
                        while (!done.get()) {
                            try {
                                switch (i++ % 4) {
                                    case 0 -> container.stop();
                                    case 1 -> container.start();
                                    case 2 -> orders.pause();
                                    default -> orders.resume();
                                }
                            }
                            catch (Throwable ex) {
                                thrown.add(ex);
                            }
                        }
                    });
                    toggler.start();
                    for (int i = 0; i < 20_000; i++) {
                        orders.signal();
                    }
                    done.set(true);
                    toggler.join();
                    try {
                        container.start();
                        orders.resume();
                    }
                    catch (Throwable ex) {
                        thrown.add(ex);
                    }
                    try {
                        await().atMost(Duration.ofSeconds(10)).until(() -> listener.sum.get() >= 20_000);
                    }
                    catch (org.awaitility.core.ConditionTimeoutException ex) {
                        throw new AssertionError("stuck: received " + listener.sum.get() + ", pending "
                                + orders.pendingCount() + ", paused " + orders.isPaused() + ", listener running "
                                + container.isRunning() + ", toggles that threw " + thrown.size() + " "
                                + (thrown.isEmpty() ? "" : thrown.get(0)), ex);
                    }
                    Thread.sleep(200);
                    assertThat(thrown).as("toggles that threw (first: %s)", thrown.isEmpty() ? "-" : thrown.get(0))
                            .isEmpty();
                    assertThat(listener.sum.get()).isEqualTo(20_000);
                    assertThat(orders.receivedCount()).isEqualTo(20_000);
                });
    }

    static class Counting {

        final AtomicLong sum = new AtomicLong();

        @EventFdListener(value = "orders", id = "counting")
        void onOrders(long count) {
            this.sum.addAndGet(count);
        }
    }
}
