package io.github.eventfd.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.annotation.EventFdListener;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/** Listener beans the starter's tests register. */
public final class TestListeners {

    private TestListeners() {
    }

    /** Listens to "orders" in the three parameter styles and to every channel with a plain listener. */
    public static class Orders {

        public final AtomicLong counted = new AtomicLong();

        public final AtomicLong noArgCalls = new AtomicLong();

        public final List<EventFdSignalEvent> events = new CopyOnWriteArrayList<>();

        public final List<EventFdSignalEvent> allChannels = new CopyOnWriteArrayList<>();

        public final List<String> threads = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        @Order(1)
        void onCount(long count) {
            this.counted.addAndGet(count);
            this.threads.add(Thread.currentThread().getName());
        }

        @EventFdListener(channel = "orders")
        @Order(2)
        void onSignal() {
            this.noArgCalls.incrementAndGet();
        }

        @EventFdListener("orders")
        void onEvent(EventFdSignalEvent event) {
            this.events.add(event);
        }

        @EventListener
        void onAny(EventFdSignalEvent event) {
            this.allChannels.add(event);
        }
    }

    /** A listener whose first call throws, before a second listener of the same channel. */
    public static class Failing {

        public final AtomicLong failingCalls = new AtomicLong();

        public final AtomicLong afterCalls = new AtomicLong();

        @EventFdListener("flaky")
        @Order(1)
        void fails(long count) {
            if (this.failingCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
        }

        @EventFdListener("flaky")
        @Order(2)
        void after(long count) {
            this.afterCalls.addAndGet(count);
        }
    }

    /** Listens to a channel that no property declares. */
    public static class Undeclared {

        public final AtomicLong received = new AtomicLong();

        @EventFdListener("audit")
        void onAudit(long count) {
            this.received.addAndGet(count);
        }
    }

    /** Only large deliveries, through a SpEL condition. */
    public static class Conditional {

        public final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "bulk", condition = "event.count >= 10")
        void onBulk(long count) {
            this.counts.add(count);
        }
    }

    /** A listener method with a parameter list the annotation does not allow. */
    public static class BadSignature {

        @EventFdListener("orders")
        void wrong(String text) {
        }
    }

    /** Counts "orders" deliveries and resyncs. */
    public static class SharedOrders {

        public final AtomicLong received = new AtomicLong();

        public final AtomicLong resyncCalls = new AtomicLong();

        public final List<EventFdResyncEvent> resyncEvents = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "orders", resync = true)
        void onOrders(EventFdChannelEvent event) {
            if (event instanceof EventFdSignalEvent signal) {
                this.received.addAndGet(signal.getCount());
            }
            else {
                this.resyncCalls.incrementAndGet();
            }
        }

        @EventListener
        void onResync(EventFdResyncEvent event) {
            this.resyncEvents.add(event);
        }
    }

    /** resync = true on a method taking the signal event, which cannot carry a resync. */
    public static class BadResync {

        @EventFdListener(value = "orders", resync = true)
        void wrong(EventFdSignalEvent event) {
        }
    }

    /** resync = true on a method taking a count, which a resync does not have. */
    public static class CountOnResync {

        @EventFdListener(value = "orders", resync = true)
        void counted(long count) {
        }
    }
}
