package io.github.eventfd.share;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.PollerRegistration;
import io.github.eventfd.SignalCallback;
import org.jspecify.annotations.Nullable;

/**
 * A poller registration of a shared channel's local eventfd that follows the channel when a new server
 * hands it another eventfd: it leaves the old one and registers the new one itself, so a reader never has
 * to.
 */
final class FollowingRegistration implements PollerRegistration {

    private final EventFdPoller poller;

    private final SignalCallback callback;

    private final @Nullable Executor executor;

    private final Consumer<FollowingRegistration> onClose;

    private volatile PollerRegistration current;

    private volatile boolean closed;

    FollowingRegistration(EventFdPoller poller, EventFd local, SignalCallback callback, @Nullable Executor executor,
            Consumer<FollowingRegistration> onClose) {
        this.poller = poller;
        this.callback = callback;
        this.executor = executor;
        this.onClose = onClose;
        this.current = register(local);
    }

    private PollerRegistration register(EventFd eventFd) {
        return (this.executor != null) ? this.poller.register(eventFd, this.callback, this.executor)
                : this.poller.register(eventFd, this.callback);
    }

    /** Move to the channel's new local eventfd; called on the channel's thread before the old one closes. */
    void follow(EventFd replacement) {
        // the old delivery ends before the new one can start: one delivery at a time, across the switch too
        this.current.close();
        synchronized (this) {
            if (!this.closed) {
                this.current = register(replacement);
            }
        }
    }

    @Override
    public EventFd eventFd() {
        return this.current.eventFd();
    }

    @Override
    public boolean isActive() {
        return !this.closed && this.current.isActive();
    }

    @Override
    public void close() {
        PollerRegistration last = markClosed();
        last.close();
    }

    @Override
    public boolean close(Duration maxWait) {
        Objects.requireNonNull(maxWait, "'maxWait' must not be null");
        return markClosed().close(maxWait);
    }

    private synchronized PollerRegistration markClosed() {
        if (!this.closed) {
            this.closed = true;
            this.onClose.accept(this);
        }
        return this.current;
    }

    @Override
    public String toString() {
        return "FollowingRegistration(" + this.current + ")";
    }
}
