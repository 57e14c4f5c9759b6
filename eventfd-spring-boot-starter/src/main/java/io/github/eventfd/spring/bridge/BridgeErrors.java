package io.github.eventfd.spring.bridge;

import java.util.concurrent.atomic.LongAdder;

/**
 * Messages refused and commands failed of one bridge, by reason.
 */
public final class BridgeErrors {

    /** By the reason's ordinal. */
    private final LongAdder[] counts = new LongAdder[BridgeErrorReason.values().length];

    /** Start with every count at 0. */
    public BridgeErrors() {
        for (int i = 0; i < this.counts.length; i++) {
            this.counts[i] = new LongAdder();
        }
    }

    /**
     * Count one.
     * @param reason why
     */
    public void increment(BridgeErrorReason reason) {
        this.counts[reason.ordinal()].increment();
    }

    /**
     * How many so far.
     * @param reason why
     * @return the number
     */
    public long count(BridgeErrorReason reason) {
        return this.counts[reason.ordinal()].sum();
    }
}
