package io.github.eventfd;

import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import org.jspecify.annotations.Nullable;

/**
 * Whether eventfd(2) and epoll can be used in this JVM, checked once by opening and closing one of each.
 *
 * <pre>{@code
 * if (!EventFdSupport.isAvailable()) {
 *     log.warn("no eventfd here", EventFdSupport.unavailabilityCause());
 * }
 * }</pre>
 */
public final class EventFdSupport {

    private static final @Nullable Throwable UNAVAILABILITY_CAUSE = check();

    private EventFdSupport() {
    }

    private static @Nullable Throwable check() {
        try {
            Throwable problem = Posix.platformProblem();
            if (problem != null) {
                return problem;
            }
            new OwnedFd(Posix.eventfd(0, false), "eventfd").close();
            new OwnedFd(Posix.epollCreate(), "epoll").close();
            return null;
        }
        catch (Throwable ex) {
            return ex;
        }
    }

    /**
     * Whether eventfd and epoll work here.
     * @return {@code true} on 64-bit Linux with a bindable C library
     */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /**
     * Why eventfd cannot be used.
     * @return the failure found by the check, or {@code null} when {@link #isAvailable()}
     */
    public static @Nullable Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /**
     * Fail unless eventfd can be used.
     * @throws EventFdUnavailableException naming the platform and keeping the cause
     */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new EventFdUnavailableException("eventfd(2) is not available on " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch") + ": " + UNAVAILABILITY_CAUSE, UNAVAILABILITY_CAUSE);
        }
    }
}
