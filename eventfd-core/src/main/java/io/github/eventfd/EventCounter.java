package io.github.eventfd;

import java.time.Duration;

/**
 * The eventfd counter contract: {@link EventFd} is the kernel's, {@link InMemoryEventCounter} the same
 * semantics inside one JVM for platforms without eventfd.
 *
 * <p>Values are unsigned 64-bit counts carried in a {@code long}; see {@link EventFd} for the rules every
 * implementation follows and {@link UnsignedCount} to print and compare them.
 */
public interface EventCounter extends AutoCloseable {

    /**
     * How reads consume the counter.
     * @return the mode
     */
    EventFdMode mode();

    /**
     * Add 1.
     * @throws CounterOverflowException if the counter is at {@link EventFd#MAX_COUNT}
     * @throws IllegalStateException if closed
     */
    void signal();

    /**
     * Add {@code n}, 1 to {@link Long#MAX_VALUE}.
     * @param n the value
     * @throws IllegalArgumentException if {@code n} is 0 or negative
     * @throws CounterOverflowException if the counter would pass {@link EventFd#MAX_COUNT}; nothing is added
     * @throws IllegalStateException if closed
     */
    void signal(long n);

    /**
     * Add {@code n} read as unsigned, 1 to {@link EventFd#MAX_COUNT}.
     * @param n the value
     * @throws IllegalArgumentException if {@code n} is 0 or 0xffffffffffffffff
     * @throws CounterOverflowException if the counter would pass {@link EventFd#MAX_COUNT}; nothing is added
     * @throws IllegalStateException if closed
     */
    void signalUnsigned(long n);

    /**
     * Read without waiting.
     * @return the count read, or 0 if the counter was 0
     * @throws IllegalStateException if closed
     */
    long tryRead();

    /**
     * Wait until the counter is non-zero, then read it.
     * @return the count read, never 0
     * @throws IllegalStateException if closed, before or while waiting
     */
    long read();

    /**
     * Wait at most {@code timeout}, then read.
     * @param timeout zero or positive
     * @return the count read, or 0 if the time ran out
     * @throws IllegalArgumentException if the timeout is negative
     * @throws IllegalStateException if closed, before or while waiting
     */
    long read(Duration timeout);

    /**
     * The counter now, without consuming it.
     * @return the unsigned count
     * @throws IllegalStateException if closed
     */
    long pendingCount();

    /**
     * Whether {@link #close()} was called.
     * @return {@code true} once closed
     */
    boolean isClosed();

    /**
     * Close; later calls fail with {@link IllegalStateException}, waiting reads wake and fail. Idempotent.
     */
    @Override
    void close();
}
