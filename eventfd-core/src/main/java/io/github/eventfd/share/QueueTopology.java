package io.github.eventfd.share;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import org.jspecify.annotations.Nullable;

/**
 * A queue: every participant holds one and the same eventfd, so each unit signalled by anyone is read by
 * exactly one reader. The server hands that eventfd out; a client adopts it, and the eventfd it held before
 * is retired into it (see {@link SharedChannel}), so no count is lost.
 */
final class QueueTopology implements Topology {

    private final ShareOptions options;

    private volatile @Nullable EventFd queue;

    QueueTopology(ShareOptions options) {
        this.options = options;
    }

    @Override
    public EventFd local() {
        EventFd current = this.queue;
        if (current == null) {
            throw new IllegalStateException("channel '" + this.options.channel() + "' holds no queue eventfd yet");
        }
        return current;
    }

    @Override
    public void send(long n, boolean serving) {
        local().signalUnsigned(n);
    }

    @Override
    public void prepareToServe() {
        if (this.queue == null) {
            this.queue = EventFd.create(this.options.mode(), this.options.initialValue());
        }
    }

    @Override
    public EventFd handedOut() {
        return local();
    }

    @Override
    public EventFdMode handedMode() {
        return this.options.mode();
    }

    @Override
    public @Nullable EventFd subscription() {
        return null;
    }

    @Override
    public @Nullable EventFd adopt(EventFd handed) {
        EventFd held = this.queue;
        if (held == null) {
            this.queue = handed;
            return null;
        }
        if (ReceivedDescriptors.sameEventFd(held, handed)) {
            handed.close();
            return null;
        }
        // published first: signals from now on go to the new eventfd; the caller retires the old one into it
        this.queue = handed;
        return held;
    }

    @Override
    public Subscriber subscribe(EventFd eventFd, PeerInfo peer) {
        throw new IllegalStateException("a queue has no subscribers");
    }

    @Override
    public void unsubscribe(Subscriber subscriber) {
        subscriber.eventFd().close();
    }

    @Override
    public @Nullable EventFd fanIn() {
        return null;
    }

    @Override
    public void close() {
        EventFd current = this.queue;
        if (current != null) {
            current.close();
        }
    }
}
