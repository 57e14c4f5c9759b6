package io.github.eventfd.share;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.CounterOverflowException;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.UnsignedCount;
import io.github.eventfd.internal.EventFdAccess;
import org.jspecify.annotations.Nullable;

/**
 * A broadcast: each consuming participant reads an eventfd of its own, which it passes to the server in
 * its hello; the server writes every signal to every subscriber. Participants that do not serve signal
 * through a fan-in eventfd that the server hands out and forwards; the server's own signals reach the
 * subscribers through a private outbound eventfd that the fan-out's writer reads (see {@link FanOut}).
 */
final class BroadcastTopology implements Topology {

    private final ShareOptions options;

    private final EventFd own;

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private final Refusals refusals;

    private volatile @Nullable EventFd fanIn;

    /** Private to this process: nobody else can change its flags. */
    private volatile @Nullable EventFd outbound;

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
     * Serving, the signal goes to this process's own eventfd at once (if that would overflow, the caller
     * gets the {@link CounterOverflowException} and nobody got anything), and to the subscribers through the
     * outbound eventfd, which the fan-out's writer reads: the caller never writes to a subscriber, so no
     * subscriber can make it wait, and its cost does not grow with their number. Not serving, the signal
     * goes to the fan-in, which the server forwards to everyone.
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
        EventFd out = this.outbound;
        if (out != null && !this.subscribers.isEmpty()) {
            try {
                out.signalUnsigned(n);
            }
            catch (CounterOverflowException ex) {
                // 2^64 - 2 not yet forwarded: the subscribers are that far behind; this process's own count stands
                this.refusals.report(ShareErrorReason.STALLED, "subscribers are too far behind to take a count of "
                        + UnsignedCount.toString(n));
            }
        }
    }

    /** The subscribers now. */
    List<Subscriber> subscribers() {
        return this.subscribers;
    }

    /** Whether this process reads the broadcast itself. */
    boolean consumes() {
        return this.options.consume();
    }

    /** The eventfd through which this process's own signals reach the subscribers while it serves. */
    @Nullable EventFd outbound() {
        return this.outbound;
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
        if (this.outbound == null) {
            this.outbound = EventFd.create(EventFdMode.COUNTER, 0);
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
        if (held != null && ReceivedDescriptors.sameEventFd(held, handed)) {
            handed.close();
            return null;
        }
        this.fanIn = handed;
        if (held != null) {
            // signals made while no server read the old fan-in, and those still in flight, reach everyone
            // through the new one
            EventFdAccess.get().retireInto(held, handed, SharedChannel.RETIRE_WAIT);
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
        for (EventFd eventFd : new EventFd[] { this.fanIn, this.outbound }) {
            if (eventFd != null) {
                eventFd.close();
            }
        }
    }
}
