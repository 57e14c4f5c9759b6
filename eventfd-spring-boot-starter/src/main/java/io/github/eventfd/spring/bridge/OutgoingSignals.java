package io.github.eventfd.spring.bridge;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one counter a bridged channel's outgoing signals add up in until the bridge sends them: memory never
 * grows with the number of signals or the length of an outage. {@link #add} is what {@code signal()} calls; it
 * never blocks, never throws and allocates nothing. The sum is unsigned and saturates at 0xfffffffffffffffe (the
 * largest count an eventfd holds): what would pass it is counted as lost ({@link #lostCount()}), never wrapped.
 */
public final class OutgoingSignals {

    /** The largest count an eventfd holds, 2^64 - 2, as an unsigned long. */
    public static final long MAX_COUNT = 0xfffffffffffffffeL;

    private final AtomicLong pending = new AtomicLong();

    private final LongAdder lost = new LongAdder();

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
