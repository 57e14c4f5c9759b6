package io.github.eventfd;

/**
 * How a read consumes an eventfd counter.
 */
public enum EventFdMode {

    /** A read returns the whole counter and resets it to 0: signals coalesce into one count. */
    COUNTER,

    /** A read returns 1 and decrements the counter ({@code EFD_SEMAPHORE}): units are handed out one by one. */
    SEMAPHORE
}
