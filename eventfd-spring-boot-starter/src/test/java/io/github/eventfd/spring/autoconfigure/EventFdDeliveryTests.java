package io.github.eventfd.spring.autoconfigure;

import java.time.Duration;
import java.util.Set;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.channel.CounterImplementation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Delivery through eventfds and the epoll poller: {@code eventfd.fallback=fail}, so never in-memory. */
@EnabledOnOs(OS.LINUX)
class EventFdDeliveryTests extends AbstractDeliveryTests {

    @Override
    protected String fallback() {
        return "fail";
    }

    @Test
    void whenFallbackFailAndEventFdAvailableThenChannelsAreEventFds() {
        this.contextRunner.run(context -> {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            assertThat(registry.implementation()).isEqualTo(CounterImplementation.EVENTFD);
            assertThat(registry.channel("default").descriptorNumber()).isNotNegative();
        });
    }

    @Test
    void whenContextClosedThenNoEventFdOrThreadSurvives() {
        long fdsBefore = EventFdResources.descriptors();
        Set<Thread> threadsBefore = EventFdResources.threads();
        for (int i = 0; i < 20; i++) {
            this.contextRunner.withPropertyValues("eventfd.channels.a.mode=counter", "eventfd.channels.b.dispatch=inline")
                    .withBean(TestListeners.Orders.class).run(context -> {
                        notifier(context, "orders").signal();
                        await().until(() -> context.getBean(TestListeners.Orders.class).counted.get() == 1);
                    });
        }
        // the test before may still have closed one of its own meanwhile; a leak would be one per context
        assertThat(EventFdResources.descriptors()).isLessThanOrEqualTo(fdsBefore);
        // a thread of the test before may still be ending (a redelivery scheduler is ended without waiting for it):
        // none of those the contexts started may stay
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(threadsBefore).containsAll(EventFdResources.threads()));
    }
}
