package io.github.eventfd.share;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import org.jspecify.annotations.Nullable;

/**
 * How one kind of shared channel moves signals between processes, chosen once from
 * {@link ShareOptions#kind()}: which eventfds it owns, where a signal goes, what a server hands out and what
 * a client adopts. Every eventfd it holds is closed by {@link #close()}.
 */
sealed interface Topology permits QueueTopology, BroadcastTopology {

    static Topology of(ShareOptions options, Refusals refusals) {
        return (options.kind() == ShareKind.QUEUE) ? new QueueTopology(options)
                : new BroadcastTopology(options, refusals);
    }

    /**
     * The eventfd this process reads.
     * @throws IllegalStateException before the channel served or attached once
     */
    EventFd local();

    /** Send a checked, non-zero unsigned count to every reader the kind reaches. */
    void send(long n, boolean serving);

    /** Create what a server needs and does not hold yet. */
    void prepareToServe();

    /** The eventfd a server passes to each peer that attaches. */
    EventFd handedOut();

    /** The mode of the eventfd a server hands out. */
    EventFdMode handedMode();

    /** The eventfd a client passes to the server in its hello, or {@code null}. */
    @Nullable EventFd subscription();

    /**
     * Start using the eventfd a server handed to this process.
     * @return the eventfd readers of this process must leave for {@link #local()} (the caller closes it
     * once they have), or {@code null} when readers keep theirs
     */
    @Nullable EventFd adopt(EventFd handed);

    /** A peer's own eventfd, subscribed to every signal (broadcast only). */
    Subscriber subscribe(EventFd eventFd, PeerInfo peer);

    /** Drop a subscriber and close its eventfd. */
    void unsubscribe(Subscriber subscriber);

    /** The eventfd whose counts a server forwards to every subscriber, or {@code null}. */
    @Nullable EventFd fanIn();

    /** Close every eventfd held. */
    void close();

    /** A broadcast subscriber: its eventfd and who it is. */
    record Subscriber(EventFd eventFd, PeerInfo peer) {
    }
}
