package io.github.eventfd.spring.channel;

/**
 * Where a channel's listeners run.
 */
public enum Dispatch {

    /** On the listener executor: a slow listener never delays other channels. */
    EXECUTOR,

    /** On the poller thread: one thread wake-up less, for short non-blocking listeners only. */
    INLINE
}
