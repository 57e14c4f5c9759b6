package io.github.eventfd;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules that settings of channels and pollers follow, each in one place: the core's factories and
 * builders check with these, and so does the Spring starter for its properties. Each check throws an
 * {@link IllegalArgumentException} whose message names the value and what is allowed; callers that know
 * where the value came from (a property) add that.
 */
public final class EventFdRules {

    /** The longest channel name. */
    public static final int MAX_CHANNEL_NAME_LENGTH = 128;

    /** The most events one {@code epoll_wait} may return to a poller. */
    public static final int MAX_EVENTS_PER_WAIT = 4096;

    /** What a channel name may contain, for messages. */
    public static final String CHANNEL_NAME_RULE = "1 to " + MAX_CHANNEL_NAME_LENGTH
            + " letters, digits, '.', '-' or '_'";

    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_CHANNEL_NAME_LENGTH + "}");

    private EventFdRules() {
    }

    /**
     * Whether a channel name follows {@link #CHANNEL_NAME_RULE}.
     * @param name the name
     * @return {@code true} if it does
     */
    public static boolean isValidChannelName(String name) {
        return CHANNEL_NAME.matcher(name).matches();
    }

    /**
     * Check a channel name.
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if it does not follow {@link #CHANNEL_NAME_RULE}
     */
    public static String checkChannelName(String name) {
        Objects.requireNonNull(name, "'channel' must not be null");
        if (!isValidChannelName(name)) {
            throw new IllegalArgumentException("channel name '" + name + "' is not allowed: use " + CHANNEL_NAME_RULE);
        }
        return name;
    }

    /**
     * Check the initial value of an eventfd: the kernel takes an unsigned 32-bit int.
     * @param initialValue the value
     * @return the value
     * @throws IllegalArgumentException if it is outside 0 to {@link EventFd#MAX_INITIAL_VALUE}
     */
    public static long checkInitialValue(long initialValue) {
        if (initialValue < 0 || initialValue > EventFd.MAX_INITIAL_VALUE) {
            throw new IllegalArgumentException("'initialValue' must be between 0 and " + EventFd.MAX_INITIAL_VALUE
                    + " but was " + initialValue);
        }
        return initialValue;
    }

    /**
     * Check how many events one {@code epoll_wait} of a poller may return.
     * @param maxEventsPerWait the value
     * @return the value
     * @throws IllegalArgumentException if it is outside 1 to {@link #MAX_EVENTS_PER_WAIT}
     */
    public static int checkMaxEventsPerWait(int maxEventsPerWait) {
        if (maxEventsPerWait < 1 || maxEventsPerWait > MAX_EVENTS_PER_WAIT) {
            throw new IllegalArgumentException("'maxEventsPerWait' must be between 1 and " + MAX_EVENTS_PER_WAIT
                    + " but was " + maxEventsPerWait);
        }
        return maxEventsPerWait;
    }

    /**
     * Check the value of a signal given as a signed long.
     * @param n the value
     * @return the value
     * @throws IllegalArgumentException if it is not between 1 and {@link Long#MAX_VALUE}
     */
    public static long checkSignal(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("'n' must be between 1 and " + Long.MAX_VALUE + " but was " + n);
        }
        return n;
    }

    /**
     * Check the value of a signal given as an unsigned long.
     * @param n the value, unsigned
     * @return the value
     * @throws IllegalArgumentException if it is 0 or 0xffffffffffffffff
     */
    public static long checkUnsignedSignal(long n) {
        if (n == 0 || n == -1L) {
            throw new IllegalArgumentException("'n' must be between 1 and " + UnsignedCount.toString(EventFd.MAX_COUNT)
                    + " (unsigned) but was " + UnsignedCount.toString(n));
        }
        return n;
    }
}
