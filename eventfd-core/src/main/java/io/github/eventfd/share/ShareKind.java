package io.github.eventfd.share;

/**
 * How a shared channel distributes signals between processes.
 */
public enum ShareKind {

    /** One eventfd shared by all: a signal is consumed by exactly one reader (competing consumers). */
    QUEUE,

    /** Every subscriber has its own eventfd and sees every signal (counts coalesce per subscriber). */
    BROADCAST
}
