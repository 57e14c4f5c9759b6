package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerContainer;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One thread signals 20,000 times while another stops and starts the only listener and pauses and resumes the
 * channel as fast as it can: no toggle throws, and once started, resumed and quiescent the listener has received
 * exactly what was sent.
 */
class ListenerTogglingUnderLoadTests {

    private static final int SIGNALS = 20_000;

    @ParameterizedTest
    @CsvSource({ "in-memory,executor", "in-memory,inline", "fail,executor", "fail,inline" })
    void whenListenerAndChannelAreToggledWhileSignallingThenNothingIsLostNothingDoubledAndNothingThrows(String fallback,
            String dispatch) {
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
                    for (int i = 0; i < SIGNALS; i++) {
                        orders.signal();
                    }
                    done.set(true);
                    toggler.join();
                    container.start();
                    orders.resume();
                    await().alias("the listener receives all " + SIGNALS).until(() -> listener.sum.get() >= SIGNALS);
                    ListenerLifecycleDuringDeliveryTests.quiesce(context);
                    assertThat(thrown).as("toggles that threw").isEmpty();
                    assertThat(listener.sum.get()).isEqualTo(SIGNALS);
                    assertThat(orders.receivedCount()).isEqualTo(SIGNALS);
                    assertThat(orders.pendingCount()).isZero();
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
