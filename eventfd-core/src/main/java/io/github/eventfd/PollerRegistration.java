package io.github.eventfd;

import java.time.Duration;

/**
 * An eventfd registered with an {@link EventFdPoller}; closing it stops delivery.
 */
public interface PollerRegistration extends AutoCloseable {

    /**
     * The registered handle.
     * @return the handle
     */
    EventFd eventFd();

    /**
     * Whether signals are still delivered. Once this is {@code false} it stays so, and the eventfd is never
     * armed in the poller again.
     * @return {@code false} once closed, once the handle is closed, or once the poller stopped
     */
    boolean isActive();

    /**
     * Stop delivery. When this returns, no callback of this registration is running and none will start,
     * except when called from the callback itself, which then finishes normally. The eventfd stays open
     * and keeps its count. Calling it again does nothing.
     */
    @Override
    void close();

    /**
     * Stop delivery, waiting at most {@code maxWait} for a running callback. Delivery stops at once either
     * way ({@link #isActive()} is {@code false} when this returns); a callback still running then finishes on
     * its own, and the registration lets go of the eventfd when it returns.
     * @param maxWait how long to wait, zero or more
     * @return {@code true} if no callback runs any more, {@code false} if one was still running
     */
    boolean close(Duration maxWait);
}
