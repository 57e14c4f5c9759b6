package io.github.eventfd.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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
            // the thread first: a test that waits for the count reads the thread next
            this.threads.add(Thread.currentThread().getName());
            this.counted.addAndGet(count);
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

    /** A slow "orders" listener that records how many of its calls ever ran at once, and a plain listener. */
    public static class Overlap {

        public final AtomicLong received = new AtomicLong();

        public final AtomicInteger maxAtOnce = new AtomicInteger();

        public final AtomicLong plainReceived = new AtomicLong();

        public final List<String> plainThreads = new CopyOnWriteArrayList<>();

        private final AtomicInteger running = new AtomicInteger();

        @EventFdListener("orders")
        void onOrders(long count) throws InterruptedException {
            this.maxAtOnce.accumulateAndGet(this.running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5); // slow work, so that signals arrive while a delivery runs
                this.received.addAndGet(count);
            }
            finally {
                this.running.decrementAndGet();
            }
        }

        @EventListener
        void onAny(EventFdSignalEvent event) {
            if (event.getChannel().equals("orders")) {
                this.plainThreads.add(Thread.currentThread().getName());
                this.plainReceived.addAndGet(event.getCount());
            }
        }
    }

    /** An "orders" listener that also takes resyncs, whose deliveries wait for a latch; it logs each start and end. */
    public static class SlowResync {

        public final CountDownLatch deliveryEntered = new CountDownLatch(1);

        public final CountDownLatch releaseDelivery = new CountDownLatch(1);

        public final CountDownLatch resyncEntered = new CountDownLatch(1);

        public final List<String> log = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "orders", resync = true)
        void onOrders(EventFdChannelEvent event) throws InterruptedException {
            String kind = (event instanceof EventFdResyncEvent) ? "resync" : "delivery";
            this.log.add(kind + " start");
            if (event instanceof EventFdResyncEvent) {
                this.resyncEntered.countDown();
            }
            else {
                this.deliveryEntered.countDown();
                this.releaseDelivery.await();
            }
            this.log.add(kind + " end");
        }
    }

    /** A "flaky" listener whose first {@code failures} calls throw; it adds up what it received after that. */
    public static class Flaky {

        public final AtomicLong calls = new AtomicLong();

        public final AtomicLong received = new AtomicLong();

        private final int failures;

        public Flaky(int failures) {
            this.failures = failures;
        }

        @EventFdListener("flaky")
        void onFlaky(long count) {
            if (this.calls.incrementAndGet() <= this.failures) {
                throw new IllegalStateException("not yet: call " + this.calls.get());
            }
            this.received.addAndGet(count);
        }
    }

    /** An "orders" listener that always throws and names the error handler bean "ordersRetry". */
    public static class NamedRetry {

        public final AtomicLong calls = new AtomicLong();

        @EventFdListener(value = "orders", errorHandler = "ordersRetry")
        void onOrders() {
            this.calls.incrementAndGet();
            throw new IllegalStateException("always");
        }
    }
}
