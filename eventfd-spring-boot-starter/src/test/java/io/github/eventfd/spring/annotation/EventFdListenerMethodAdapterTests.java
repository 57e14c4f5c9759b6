package io.github.eventfd.spring.annotation;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerObserver;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter through Spring's own event machinery, publishing events by hand: no eventfd, no poller, so it
 * runs on any OS.
 */
class EventFdListenerMethodAdapterTests {

    private final RecordingObserver observer = new RecordingObserver();

    private AnnotationConfigApplicationContext context(Class<?>... listeners) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(EventFdListenerFactory.class, () -> new EventFdListenerFactory(
                context.getBeanProvider(EventFdChannelRegistry.class), context.getBeanProvider(EventFdListenerObserver.class)));
        context.registerBean(EventFdListenerObserver.class, () -> this.observer);
        for (Class<?> listener : listeners) {
            context.registerBean(listener);
        }
        context.refresh();
        return context;
    }

    @Test
    void whenSignalledThenEachParameterStyleGetsItsValueAndOnlyItsChannel() {
        try (AnnotationConfigApplicationContext context = context(Styles.class)) {
            context.publishEvent(new EventFdSignalEvent(this, "orders", 3));
            context.publishEvent(new EventFdSignalEvent(this, "other", 9));
            Styles styles = context.getBean(Styles.class);
            assertThat(styles.calls).containsExactly("count=3", "none", "event=3");
        }
    }

    @Test
    void whenAListenerThrowsThenItIsObservedAsFailedUnwrappedAndTheNextListenerStillRuns() {
        try (AnnotationConfigApplicationContext context = context(Throwing.class)) {
            context.publishEvent(new EventFdSignalEvent(this, "orders", 1));
            assertThat(context.getBean(Throwing.class).afterCalls).containsExactly(1L);
            assertThat(this.observer.failures).singleElement(InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(IOException.class).hasMessage("disk gone");
            assertThat(this.observer.successes).containsExactly("orders/Throwing.after");
        }
    }

    @Test
    void whenConditionGivenThenItIsTestedOncePerDeliveryWithTheCountByName() {
        try (AnnotationConfigApplicationContext context = context(Conditional.class)) {
            context.publishEvent(new EventFdSignalEvent(this, "orders", 2));
            context.publishEvent(new EventFdSignalEvent(this, "orders", 20));
            assertThat(context.getBean(Conditional.class).counts).containsExactly(20L);
            assertThat(this.observer.successes).hasSize(1);
        }
    }

    @Test
    void whenResyncThenOnlyResyncListenersAreCalledAndNeverWithACount() {
        try (AnnotationConfigApplicationContext context = context(Resyncing.class)) {
            context.publishEvent(new EventFdResyncEvent(this, "orders", "attached to pid 1"));
            context.publishEvent(new EventFdResyncEvent(this, "other", "attached to pid 1"));
            context.publishEvent(new EventFdSignalEvent(this, "orders", 4));
            Resyncing listener = context.getBean(Resyncing.class);
            assertThat(listener.events).extracting(EventFdChannelEvent::getClass)
                    .containsExactly(EventFdResyncEvent.class, EventFdSignalEvent.class);
            assertThat(listener.noArgCalls).isEqualTo(2);
            assertThat(listener.signalsOnly).containsExactly(4L);
        }
    }

    @Test
    void whenResyncMethodTakesACountThenStartupFailsNamingTheMethodAndTheFix() {
        assertThatThrownBy(() -> context(CountOnResync.class)).rootCause()
                .hasMessageContaining("CountOnResync.onOrders(long)")
                .hasMessageContaining("take no parameter, or an EventFdChannelEvent");
    }

    @Test
    void whenResyncMethodHasAConditionThenStartupFailsSayingWhy() {
        assertThatThrownBy(() -> context(ConditionOnResync.class)).rootCause()
                .hasMessageContaining("ConditionOnResync.onOrders()").hasMessageContaining("has a condition");
    }

    /** Records each call's outcome by channel and listener. */
    static class RecordingObserver implements EventFdListenerObserver {

        final List<String> successes = new CopyOnWriteArrayList<>();

        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public Observation listenerRegistered(String channel, String listener) {
            return new Observation() {
                @Override
                public void succeeded(long nanos) {
                    RecordingObserver.this.successes.add(channel + "/" + listener);
                }

                @Override
                public void failed(long nanos, Throwable error) {
                    RecordingObserver.this.failures.add(error);
                }
            };
        }
    }

    static class Styles {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        @Order(1)
        void onCount(long count) {
            this.calls.add("count=" + count);
        }

        @EventFdListener("orders")
        @Order(2)
        void onNothing() {
            this.calls.add("none");
        }

        @EventFdListener("orders")
        @Order(3)
        void onEvent(EventFdSignalEvent event) {
            this.calls.add("event=" + event.getCount());
        }
    }

    static class Throwing {

        final List<Long> afterCalls = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        @Order(1)
        void fails() throws IOException {
            throw new IOException("disk gone");
        }

        @EventFdListener("orders")
        @Order(2)
        void after(long count) {
            this.afterCalls.add(count);
        }
    }

    static class Conditional {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "orders", condition = "#count >= 10")
        void onBulk(long count) {
            this.counts.add(count);
        }
    }

    static class Resyncing {

        final List<EventFdChannelEvent> events = new CopyOnWriteArrayList<>();

        final List<Long> signalsOnly = new CopyOnWriteArrayList<>();

        int noArgCalls;

        @EventFdListener(value = "orders", resync = true)
        void onAny(EventFdChannelEvent event) {
            this.events.add(event);
        }

        @EventFdListener(value = "orders", resync = true)
        void onAnyWithoutParameter() {
            this.noArgCalls++;
        }

        @EventFdListener("orders")
        void onSignals(long count) {
            this.signalsOnly.add(count);
        }
    }

    static class CountOnResync {

        @EventFdListener(value = "orders", resync = true)
        void onOrders(long count) {
        }
    }

    static class ConditionOnResync {

        @EventFdListener(value = "orders", resync = true, condition = "event.count > 1")
        void onOrders() {
        }
    }
}
