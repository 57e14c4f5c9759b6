package io.github.eventfd.internal;

import java.time.Duration;
import java.util.Objects;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import org.jspecify.annotations.Nullable;

/**
 * The one door from the library's own packages into what {@link EventFd} keeps to itself: wrapping a
 * descriptor that arrived from another process, and using the descriptor of a handle (to pass it on or
 * watch it). {@code EventFd} installs the implementation when its class initializes. Not API.
 */
public abstract class EventFdAccess {

    private static volatile @Nullable EventFdAccess instance;

    /**
     * Called once by {@link EventFd}'s class initializer.
     * @param access the implementation
     */
    public static void install(EventFdAccess access) {
        instance = Objects.requireNonNull(access, "'access' must not be null");
    }

    /**
     * The implementation, initializing {@link EventFd} if needed.
     * @return the accessor
     */
    public static EventFdAccess get() {
        EventFdAccess access = instance;
        if (access == null) {
            try {
                Class.forName(EventFd.class.getName(), true, EventFd.class.getClassLoader());
            }
            catch (ClassNotFoundException ex) {
                throw new IllegalStateException(ex);
            }
            access = instance;
            if (access == null) {
                throw new IllegalStateException("EventFd did not install its accessor");
            }
        }
        return access;
    }

    /**
     * Make a handle of a descriptor the caller has already checked is a non-blocking eventfd in
     * {@code mode}; the handle owns it from now on.
     * @param fd the owned descriptor
     * @param mode its mode
     * @return the handle
     */
    public abstract EventFd adopt(OwnedFd fd, EventFdMode mode);

    /**
     * The owned descriptor behind a handle; bracket every use with {@link OwnedFd#acquire()} and
     * {@link OwnedFd#release()}, and never close it: the handle does.
     * @param eventFd the handle
     * @return its descriptor
     */
    public abstract OwnedFd descriptor(EventFd eventFd);

    /**
     * Close a handle that {@code successor} replaces, without losing a count: the handle is closed to new
     * calls at once, its registrations leave and waiting reads wake; once the calls already in the kernel
     * (signals that started before) have returned, what is left in it moves into {@code successor}, and the
     * descriptor is closed.
     * @param retired the handle to close
     * @param successor where its count goes
     * @param maxWait how long to wait for calls in the kernel
     * @return {@code true} if the count moved, {@code false} if the handle was already closed or a call did
     * not return in time (it is then closed when that call returns, its count left in it)
     */
    public abstract boolean retireInto(EventFd retired, EventFd successor, Duration maxWait);
}
