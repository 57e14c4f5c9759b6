package io.github.eventfd;

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
     * Whether signals are still delivered.
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
}
