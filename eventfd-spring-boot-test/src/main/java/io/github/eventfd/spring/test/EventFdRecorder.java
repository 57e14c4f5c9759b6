package io.github.eventfd.spring.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.EventFdSignalEvent;

import org.springframework.context.ApplicationListener;

/**
 * Records every delivery of the application's eventfd channels, for tests to look at or wait for by channel and
 * count, whatever thread delivered them. Thread-safe.
 *
 * <pre>{@code
 * @Autowired EventFdRecorder recorder;
 *
 * @BeforeEach
 * void forgetEarlierTests() {
 *     recorder.clear();
 * }
 *
 * @Test
 * void billsEveryOrder() {
 *     orders.signal(3);
 *     recorder.awaitReceivedCount("orders", 3, Duration.ofSeconds(10));   // the listeners have run by then
 *     assertThat(billing.billed()).isEqualTo(3);
 * }
 * }</pre>
 *
 * <p>A delivery is recorded after the channel's {@code @EventFdListener} methods have returned (it is recorded
 * from the {@link EventFdSignalEvent} the channel publishes after them), so once a wait returns, what those
 * listeners did is there to be checked. Deliveries on eventfd channels coalesce as the threads happen to run:
 * wait for a {@linkplain #awaitReceivedCount count} there, or use the synchronous mode of
 * {@link AutoConfigureEventFd}, where each signal is one delivery. Everything is kept until {@link #clear()}: a
 * context cached across test classes keeps recording.
 */
public final class EventFdRecorder implements ApplicationListener<EventFdSignalEvent> {

    private final Object monitor = new Object();

    /** Deliveries by channel, in the order they were recorded; guarded by {@link #monitor}. */
    private final Map<String, List<EventFdSignalEvent>> deliveries = new HashMap<>();

    @Override
    public void onApplicationEvent(EventFdSignalEvent event) {
        synchronized (this.monitor) {
            this.deliveries.computeIfAbsent(event.getChannel(), channel -> new ArrayList<>()).add(event);
            this.monitor.notifyAll();
        }
    }

    /**
     * The deliveries of a channel recorded so far.
     * @param channel the channel name
     * @return a copy, in the order they were recorded; empty if none
     */
    public List<EventFdSignalEvent> deliveries(String channel) {
        Objects.requireNonNull(channel, "'channel' must not be null");
        synchronized (this.monitor) {
            return List.copyOf(this.deliveries.getOrDefault(channel, List.of()));
        }
    }

    /**
     * The sum of the counts delivered on a channel so far.
     * @param channel the channel name
     * @return the unsigned sum (see {@link UnsignedCount})
     */
    public long receivedCount(String channel) {
        return sum(deliveries(channel));
    }

    /**
     * Wait until a channel has had at least {@code deliveries} deliveries.
     * @param channel the channel name
     * @param deliveries how many, 1 or more
     * @param timeout the longest wait
     * @return the deliveries of the channel when the wait ended, in the order they were recorded
     * @throws AssertionError if they did not come in time, naming the channel and what did come
     */
    public List<EventFdSignalEvent> awaitDeliveries(String channel, int deliveries, Duration timeout) {
        if (deliveries < 1) {
            throw new IllegalArgumentException("'deliveries' must be 1 or more but was " + deliveries);
        }
        return await(channel, recorded -> recorded.size() >= deliveries, timeout,
                deliveries + ((deliveries == 1) ? " delivery" : " deliveries"));
    }

    /**
     * Wait until the counts delivered on a channel add up to at least {@code count}.
     * @param channel the channel name
     * @param count the sum to wait for, 1 or more (unsigned)
     * @param timeout the longest wait
     * @return the unsigned sum of the counts delivered on the channel when the wait ended
     * @throws AssertionError if they did not add up in time, naming the channel and what did come
     */
    public long awaitReceivedCount(String channel, long count, Duration timeout) {
        if (count == 0) {
            throw new IllegalArgumentException("'count' must be 1 or more but was 0");
        }
        return sum(await(channel, recorded -> Long.compareUnsigned(sum(recorded), count) >= 0, timeout,
                "a received count of " + Long.toUnsignedString(count)));
    }

    /**
     * Forget every delivery recorded so far, for example before each test of a context that several tests share.
     */
    public void clear() {
        synchronized (this.monitor) {
            this.deliveries.clear();
        }
    }

    private List<EventFdSignalEvent> await(String channel, Predicate<List<EventFdSignalEvent>> done, Duration timeout,
            String expected) {
        Objects.requireNonNull(channel, "'channel' must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("'timeout' must be zero or positive but was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this.monitor) {
            while (true) {
                List<EventFdSignalEvent> recorded = this.deliveries.getOrDefault(channel, List.of());
                if (done.test(recorded)) {
                    return List.copyOf(recorded);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("eventfd channel '" + channel + "' did not get " + expected + " within "
                            + timeout + ": " + describe(recorded) + " (channels with deliveries: "
                            + this.deliveries.keySet() + ")");
                }
                try {
                    // a wait of 0 would never end: round up to the next millisecond
                    this.monitor.wait(Math.max(1, Duration.ofNanos(remaining).toMillis()));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + expected + " on eventfd channel '"
                            + channel + "': " + describe(recorded), ex);
                }
            }
        }
    }

    private static String describe(List<EventFdSignalEvent> recorded) {
        if (recorded.isEmpty()) {
            return "it had no delivery";
        }
        List<String> counts = recorded.stream().map(event -> UnsignedCount.toString(event.getCount())).toList();
        return "it had " + recorded.size() + ((recorded.size() == 1) ? " delivery" : " deliveries") + " adding up to "
                + Long.toUnsignedString(sum(recorded)) + ", counts " + counts;
    }

    private static long sum(List<EventFdSignalEvent> recorded) {
        long sum = 0;
        for (EventFdSignalEvent event : recorded) {
            sum += event.getCount();
        }
        return sum;
    }

    @Override
    public String toString() {
        synchronized (this.monitor) {
            Map<String, Integer> sizes = new HashMap<>();
            this.deliveries.forEach((channel, recorded) -> sizes.put(channel, recorded.size()));
            return "EventFdRecorder(deliveries by channel " + sizes + ")";
        }
    }
}
