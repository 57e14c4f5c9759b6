package io.github.eventfd.demo.billing;

import java.util.Map;

import io.github.eventfd.demo.DemoApplication;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.test.AutoConfigureEventFd;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing in the synchronous mode of eventfd-spring-boot-test: a signal is billed on the test's thread before
 * {@code signal()} returns, so each assertion follows the signal without waiting, and counts are exact.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = { "demo.producer.rate=0",
        "demo.producer.config-every=0s", "demo.billing.work=0s" })
@AutoConfigureEventFd
@RecordApplicationEvents
class BillingListenersTests {

    @Autowired
    @Qualifier(DemoApplication.ORDERS_CREATED)
    EventFdNotifier ordersCreated;

    @Autowired
    @Qualifier(DemoApplication.CONFIG_CHANGED)
    EventFdNotifier configChanged;

    @Autowired
    BillingStats stats;

    @Test
    void whenOrdersAreSignalledThenEachIsBilledBeforeSignalReturns(ApplicationEvents events) {
        long before = received(DemoApplication.ORDERS_CREATED);
        this.ordersCreated.signal();
        assertThat(received(DemoApplication.ORDERS_CREATED)).isEqualTo(before + 1);
        this.ordersCreated.signal(2);
        assertThat(received(DemoApplication.ORDERS_CREATED)).isEqualTo(before + 3);
        // a semaphore channel: one delivery per order
        assertThat(events.stream(EventFdSignalEvent.class)
                .filter(event -> event.getChannel().equals(DemoApplication.ORDERS_CREATED)))
                .extracting(EventFdSignalEvent::getCount).containsExactly(1L, 1L, 1L);
    }

    @Test
    void whenConfigurationChangesTwiceInARowThenItIsReloadedTwice(ApplicationEvents events) {
        long before = received(DemoApplication.CONFIG_CHANGED);
        this.configChanged.signal();
        this.configChanged.signal();
        assertThat(received(DemoApplication.CONFIG_CHANGED)).isEqualTo(before + 2);
        assertThat(events.stream(EventFdSignalEvent.class)
                .filter(event -> event.getChannel().equals(DemoApplication.CONFIG_CHANGED)))
                .extracting(EventFdSignalEvent::isCoalesced).containsExactly(false, false);
    }

    private long received(String channel) {
        @SuppressWarnings("unchecked")
        Map<String, Long> received = (Map<String, Long>) this.stats.snapshot().get("received");
        return received.getOrDefault(channel, 0L);
    }
}
