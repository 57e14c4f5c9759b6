package io.github.eventfd.spring.bridge;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages refused and commands failed of one bridge, by reason.
 */
public final class BridgeErrors {

    private final Map<BridgeErrorReason, LongAdder> counts = new EnumMap<>(BridgeErrorReason.class);

    /** Start with every count at 0. */
    public BridgeErrors() {
        for (BridgeErrorReason reason : BridgeErrorReason.values()) {
            this.counts.put(reason, new LongAdder());
        }
    }

    /**
     * Count one.
     * @param reason why
     */
    public void increment(BridgeErrorReason reason) {
        this.counts.get(reason).increment();
    }

    /**
     * How many so far.
     * @param reason why
     * @return the number
     */
    public long count(BridgeErrorReason reason) {
        return this.counts.get(reason).sum();
    }
}
