package io.github.eventfd;

import java.time.Duration;
import java.util.Objects;

/** The argument checks every {@link EventCounter} makes, with one wording for their messages. */
final class Arguments {

    private Arguments() {
    }

    static void checkInitialValue(long initialValue) {
        if (initialValue < 0 || initialValue > EventFd.MAX_INITIAL_VALUE) {
            throw new IllegalArgumentException("'initialValue' must be between 0 and " + EventFd.MAX_INITIAL_VALUE
                    + " but was " + initialValue);
        }
    }

    static void checkSignal(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("'n' must be between 1 and " + Long.MAX_VALUE + " but was " + n);
        }
    }

    static void checkUnsignedSignal(long n) {
        if (n == 0 || n == -1L) {
            throw new IllegalArgumentException("'n' must be between 1 and " + UnsignedCount.toString(EventFd.MAX_COUNT)
                    + " (unsigned) but was " + UnsignedCount.toString(n));
        }
    }

    static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "'timeout' must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("'timeout' must be zero or positive but was " + timeout);
        }
    }

    static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }
}
