package io.github.eventfd.model;

import io.github.eventfd.CounterOverflowException;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;

/**
 * The reference model of an eventfd counter, in plain Java: what {@code man 2 eventfd} says, plus this
 * library's argument checks and close rules. It throws the same exception types the real thing does.
 */
final class CounterModel {

    private final EventFdMode mode;

    private long count;

    private boolean closed;

    CounterModel(EventFdMode mode, long initialValue) {
        if (initialValue < 0 || initialValue > EventFd.MAX_INITIAL_VALUE) {
            throw new IllegalArgumentException("initial value");
        }
        this.mode = mode;
        this.count = initialValue;
    }

    void signal(long n, boolean unsigned) {
        if (unsigned ? (n == 0 || n == -1L) : n <= 0) {
            throw new IllegalArgumentException("n");
        }
        ensureOpen();
        if (Long.compareUnsigned(n, EventFd.MAX_COUNT - this.count) > 0) {
            throw new CounterOverflowException(n, "model");
        }
        this.count += n;
    }

    long read() {
        ensureOpen();
        if (this.count == 0) {
            return 0;
        }
        if (this.mode == EventFdMode.SEMAPHORE) {
            this.count--;
            return 1;
        }
        long value = this.count;
        this.count = 0;
        return value;
    }

    long pending() {
        ensureOpen();
        return this.count;
    }

    void close() {
        this.closed = true;
    }

    private void ensureOpen() {
        if (this.closed) {
            throw new IllegalStateException("closed");
        }
    }
}
