package io.github.eventfd;

import io.github.eventfd.internal.EpollEventArray;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
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
     * Pay the native layer's one-time costs now rather than on first use: bind the C library and make each call
     * that creating a channel, signalling it and watching it with a poller makes, on a throwaway eventfd and epoll
     * instance. Starting the JVM's foreign-function machinery and making its call stubs takes tens of milliseconds;
     * a framework can call this on a background thread while the application starts, as the Spring Boot starter
     * does, so that the first channel does not wait for it. Does nothing where eventfd is not available, and
     * never throws.
     */
    public static void warmUp() {
        if (!isAvailable()) {
            return;
        }
        try (EventFd eventFd = EventFd.create()) {
            eventFd.signal();
            eventFd.tryRead();
            OwnedFd epoll = new OwnedFd(Posix.epollCreate(), "epoll");
            int epfd = epoll.acquire();
            try {
                Posix.epollCtl(epfd, Linux.EPOLL_CTL_ADD, eventFd.descriptorNumber(),
                        Scratch.current().epollEvent(Linux.EPOLLIN, 1));
                Posix.epollWait(epfd, new EpollEventArray(1), 0);
            }
            finally {
                epoll.release();
                epoll.close();
            }
        }
        catch (RuntimeException ex) {
            // a warm-up only: whatever failed here fails again, and is reported, where the call is really made
        }
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
