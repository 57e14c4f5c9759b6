package io.github.eventfd.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.github.eventfd.CounterOverflowException;
import org.jspecify.annotations.Nullable;

/**
 * Writes a broadcast's counts to its subscribers, on the server's thread, so that no application thread
 * ever waits on a subscriber. A subscriber's eventfd is shared with the subscriber, which can clear its
 * {@code O_NONBLOCK} and fill its counter: a write to it would then wait in the kernel. A watchdog thread,
 * awake only while a round of writes runs, notices a write that has not returned within
 * {@link #STALL_BOUND} and drains that subscriber's counter, which lets the write return; the subscriber
 * is then dropped, as is one whose counter is full. The others are delayed by at most the bound.
 */
final class FanOut implements AutoCloseable {

    /** How long one write to a subscriber may take before the subscriber is rescued and dropped. */
    static final Duration STALL_BOUND = Duration.ofMillis(500);

    private final Thread watchdog;

    private final Set<Topology.Subscriber> rescued = ConcurrentHashMap.newKeySet();

    /** The subscriber being written to now, or {@code null}. */
    private volatile Topology.@Nullable Subscriber writing;

    /** Advances with every write, so the watchdog can tell a stuck write from a new one. */
    private volatile long writes;

    /** When the write in progress started ({@link System#nanoTime()}), published before {@link #writes}. */
    private volatile long writeStartedAt;

    /** The server thread's own count of writes, published through {@link #writes}. */
    private long written;

    private volatile boolean roundRunning;

    private volatile boolean closed;

    FanOut(String channel) {
        this.watchdog = new Thread(this::watch, "eventfd-share-" + channel + "-watchdog");
        this.watchdog.setDaemon(true);
        this.watchdog.start();
    }

    /**
     * Add {@code n} to every subscriber's counter.
     * @return the subscribers to drop: a full counter, or a write the watchdog had to rescue
     */
    List<Topology.Subscriber> write(List<Topology.Subscriber> subscribers, long n) {
        if (subscribers.isEmpty()) {
            return List.of();
        }
        List<Topology.Subscriber> stalled = List.of();
        this.roundRunning = true;
        LockSupport.unpark(this.watchdog);
        try {
            for (Topology.Subscriber subscriber : subscribers) {
                this.writeStartedAt = System.nanoTime();
                this.writing = subscriber;
                this.writes = ++this.written;
                boolean full = false;
                try {
                    subscriber.eventFd().signalUnsigned(n);
                }
                catch (CounterOverflowException ex) {
                    full = true;
                }
                catch (IllegalStateException ex) {
                    // the subscriber left while the count was on its way
                }
                finally {
                    this.writing = null;
                }
                if (this.rescued.remove(subscriber) || full) {
                    if (stalled.isEmpty()) {
                        stalled = new ArrayList<>();
                    }
                    stalled.add(subscriber);
                }
            }
        }
        finally {
            this.roundRunning = false;
        }
        return stalled;
    }

    private void watch() {
        long bound = STALL_BOUND.toNanos();
        while (!this.closed) {
            if (!this.roundRunning) {
                LockSupport.park(this);
                continue;
            }
            long seen = this.writes;
            Topology.Subscriber suspect = this.writing;
            long startedAt = this.writeStartedAt;
            if (suspect == null) {
                LockSupport.parkNanos(this, bound);
                continue;
            }
            // park until the bound has really passed since that write started: an unpark or a spurious
            // wake-up must not make a write of a few microseconds look stuck
            long stuckFor;
            while ((stuckFor = System.nanoTime() - startedAt) < bound && this.writes == seen && !this.closed) {
                LockSupport.parkNanos(this, bound - stuckFor);
            }
            if (this.writing == suspect && this.writes == seen && System.nanoTime() - startedAt >= bound) {
                rescue(suspect, seen);
            }
        }
    }

    /** Drain the subscriber's counter until the stuck write returns: a read wakes a writer waiting for room. */
    private void rescue(Topology.Subscriber suspect, long seen) {
        this.rescued.add(suspect);
        while (!this.closed && this.writing == suspect && this.writes == seen) {
            try {
                suspect.eventFd().tryRead();
            }
            catch (IllegalStateException ex) {
                return;
            }
            LockSupport.parkNanos(this, 50_000);
        }
    }

    @Override
    public void close() {
        this.closed = true;
        LockSupport.unpark(this.watchdog);
    }
}
