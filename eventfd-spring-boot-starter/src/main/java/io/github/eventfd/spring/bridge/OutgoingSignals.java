package io.github.eventfd.spring.bridge;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one counter a bridged channel's outgoing signals add up in until the bridge sends them: memory never
 * grows with the number of signals or the length of an outage. {@link #add} is what {@code signal()} calls; it
 * never blocks, never throws and allocates nothing. The sum is unsigned and saturates at 0xfffffffffffffffe (the
 * largest count an eventfd holds): what would pass it is counted as lost ({@link #lostCount()}), never wrapped.
 *
 * <p>An add that finds the counter empty runs the bridge's wake-up ({@link #wakeUpWith}), so that a signal on an
 * idle bridge is sent at once; adds that find something waiting only add to it, and go with it in the bridge's
 * next send. The bridge is woken once per send, however many signals it carries.
 */
public final class OutgoingSignals {

    /** The largest count an eventfd holds, 2^64 - 2, as an unsigned long. */
    public static final long MAX_COUNT = 0xfffffffffffffffeL;

    private static final Runnable NO_WAKE_UP = () -> {
    };

    private final AtomicLong pending = new AtomicLong();

    private final LongAdder lost = new LongAdder();

    /** What an add that finds the counter empty runs: made once by the bridge, so that adds allocate nothing. */
    private volatile Runnable wakeUp = NO_WAKE_UP;

    /**
     * Run {@code wakeUp} on the signalling thread whenever an add finds nothing waiting: it must be quick and must
     * not block or throw (an unpark of the bridge's thread).
     * @param wakeUp what wakes the bridge that sends this counter
     */
    public void wakeUpWith(Runnable wakeUp) {
        this.wakeUp = Objects.requireNonNull(wakeUp, "'wakeUp' must not be null");
    }

    /**
     * Add {@code n} (unsigned, 1 to 0xfffffffffffffffe) to what is waiting to be sent.
     * @param n the count signalled
     */
    public void add(long n) {
        long current;
        long next;
        do {
            current = this.pending.get();
            next = current + n;
            if (Long.compareUnsigned(next, current) < 0 || Long.compareUnsigned(next, MAX_COUNT) > 0) {
                next = MAX_COUNT;
            }
        }
        while (!this.pending.compareAndSet(current, next));
        if (current == 0) {
            this.wakeUp.run();
        }
        if (next == MAX_COUNT) {
            long kept = MAX_COUNT - current;
            if (kept != n) {
                this.lost.increment();
            }
        }
    }

    /**
     * Take everything waiting to be sent.
     * @return the unsigned sum, 0 if nothing waits
     */
    public long drain() {
        return (this.pending.get() != 0) ? this.pending.getAndSet(0) : 0;
    }

    /**
     * What waits to be sent now.
     * @return the unsigned sum
     */
    public long pending() {
        return this.pending.get();
    }

    /**
     * Signals that did not fit because the sum waiting was at its maximum.
     * @return how many
     */
    public long lostCount() {
        return this.lost.sum();
    }
}
