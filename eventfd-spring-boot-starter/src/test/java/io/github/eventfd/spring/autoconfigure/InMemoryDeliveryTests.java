package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.channel.CounterImplementation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery through in-JVM counters, as where eventfd is missing ({@code eventfd.fallback=in-memory}): no OS
 * gate, these run everywhere the fallback applies.
 */
class InMemoryDeliveryTests extends AbstractDeliveryTests {

    @Override
    protected String fallback() {
        return "in-memory";
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
}
