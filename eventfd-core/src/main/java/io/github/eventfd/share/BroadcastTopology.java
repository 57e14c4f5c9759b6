package io.github.eventfd.share;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.CounterOverflowException;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import org.jspecify.annotations.Nullable;

/**
 * A broadcast: each consuming participant reads an eventfd of its own, which it passes to the server in
 * its hello; the server writes every signal to every subscriber. Participants that do not serve signal
 * through a fan-in eventfd that the server hands out and forwards.
 */
final class BroadcastTopology implements Topology {

    private final ShareOptions options;

    private final EventFd own;

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private final Refusals refusals;

    private volatile @Nullable EventFd fanIn;

    BroadcastTopology(ShareOptions options, Refusals refusals) {
        this.options = options;
        this.refusals = refusals;
        this.own = EventFd.create(options.mode(), options.consume() ? options.initialValue() : 0);
    }

    @Override
    public EventFd local() {
        return this.own;
    }

    /**
     * Serving, the signal goes to this process's own eventfd first: if that would overflow, the caller gets
     * the {@link CounterOverflowException} and nobody got anything. Then to every subscriber; one whose
     * counter is full is reported and skipped. Not serving, it goes to the fan-in.
     */
    @Override
    public void send(long n, boolean serving) {
        if (!serving) {
            currentFanIn().signalUnsigned(n);
            return;
        }
        if (this.options.consume()) {
            this.own.signalUnsigned(n);
        }
        forward(n);
    }

    /** Write a count to every subscriber. */
    void forward(long n) {
        for (Subscriber subscriber : this.subscribers) {
            try {
                subscriber.eventFd().signalUnsigned(n);
            }
            catch (IllegalStateException ex) {
                // the subscriber left while the signal was on its way
            }
            catch (CounterOverflowException ex) {
                this.refusals.report(ShareErrorReason.IO, "the counter of subscriber pid " + subscriber.peer().pid()
                        + " is full: " + ex.getMessage());
            }
        }
    }

    private EventFd currentFanIn() {
        EventFd current = this.fanIn;
        if (current == null) {
            throw new IllegalStateException("channel '" + this.options.channel() + "' holds no fan-in eventfd yet");
        }
        return current;
    }

    @Override
    public void prepareToServe() {
        if (this.fanIn == null) {
            this.fanIn = EventFd.create(EventFdMode.COUNTER, 0);
        }
    }

    @Override
    public EventFd handedOut() {
        return currentFanIn();
    }

    @Override
    public EventFdMode handedMode() {
        return EventFdMode.COUNTER;
    }

    @Override
    public @Nullable EventFd subscription() {
        return this.options.consume() ? this.own : null;
    }

    @Override
    public @Nullable EventFd adopt(EventFd handed) {
        EventFd held = this.fanIn;
        this.fanIn = handed;
        if (held != null) {
            held.close();
        }
        return null;
    }

    @Override
    public Subscriber subscribe(EventFd eventFd, PeerInfo peer) {
        Subscriber subscriber = new Subscriber(eventFd, peer);
        this.subscribers.add(subscriber);
        return subscriber;
    }

    @Override
    public void unsubscribe(Subscriber subscriber) {
        this.subscribers.remove(subscriber);
        subscriber.eventFd().close();
    }

    @Override
    public @Nullable EventFd fanIn() {
        return this.fanIn;
    }

    @Override
    public void close() {
        this.subscribers.forEach(subscriber -> subscriber.eventFd().close());
        this.subscribers.clear();
        this.own.close();
        EventFd current = this.fanIn;
        if (current != null) {
            current.close();
        }
    }
}
