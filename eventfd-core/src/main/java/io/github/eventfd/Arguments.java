package io.github.eventfd;

import java.time.Duration;
import java.util.Objects;

/** The argument checks every {@link EventCounter} makes, with one wording for their messages. */
final class Arguments {

    private Arguments() {
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
