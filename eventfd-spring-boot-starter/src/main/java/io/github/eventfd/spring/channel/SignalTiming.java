package io.github.eventfd.spring.channel;

/**
 * When a signal made inside a Spring-managed transaction rings. Outside a transaction every signal rings at
 * once, whatever the timing.
 */
public enum SignalTiming {

    /**
     * After the transaction commits, and not at all if it rolls back: a listener woken by the signal finds
     * the data the transaction wrote. The signals of one transaction on one channel ring as one write of
     * their sum.
     */
    AFTER_COMMIT,

    /** At once, as outside a transaction: a listener may wake before the data is committed. */
    IMMEDIATE
}
