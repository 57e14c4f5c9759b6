package io.github.eventfd.spring.bridge.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of the Redis bridge.
 *
 * @param channelPrefix prefix of the pub/sub channel of each bridged channel: {@code <prefix><name>}
 * @param keyPrefix prefix of the key that holds a bridged queue's units: {@code <prefix><name>}
 * @param flushInterval pause between two rounds that nothing woke: the retry pause while Redis is unreachable, and
 * how often a queue checks whether its local consumers can take more; signals wake the bridge and never wait for it
 * @param claimBatch most units a host claims from a bridged queue at once
 * @param timeout longest a Redis command may take before Redis counts as unreachable; also the idle time after
 * which the bridge checks Redis with a PING
 */
public record RedisBridgeSettings(String channelPrefix, String keyPrefix, Duration flushInterval, int claimBatch,
        Duration timeout) {

    /** The longest flush interval or timeout: one day, far from the 292 years a count of nanoseconds holds. */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    /**
     * Check the settings.
     * @throws IllegalArgumentException if a duration is not positive or longer than {@link #MAX_DURATION}, or the
     * claim batch is below 1
     */
    public RedisBridgeSettings {
        Objects.requireNonNull(channelPrefix, "'channelPrefix' must not be null");
        Objects.requireNonNull(keyPrefix, "'keyPrefix' must not be null");
        if (flushInterval.isNegative() || flushInterval.isZero() || flushInterval.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    "'flushInterval' must be positive and at most 1d but was " + flushInterval);
        }
        if (claimBatch < 1) {
            throw new IllegalArgumentException("'claimBatch' must be 1 or more but was " + claimBatch);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("'timeout' must be positive and at most 1d but was " + timeout);
        }
    }

    /**
     * The defaults: prefixes {@code eventfd:channel:} and {@code eventfd:queue:}, a flush every 5 ms, claims of up
     * to 64 units, a 1 s timeout.
     * @return the settings
     */
    public static RedisBridgeSettings defaults() {
        return new RedisBridgeSettings("eventfd:channel:", "eventfd:queue:", Duration.ofMillis(5), 64,
                Duration.ofSeconds(1));
    }
}
