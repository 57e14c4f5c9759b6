package io.github.eventfd.spring.channel;

import org.jspecify.annotations.Nullable;

/**
 * What a channel's counter tells whoever delivers the channel: a signal of an in-memory counter, or a
 * resync of a shared one. A resync that comes before anybody delivers (an attach during
 * startup) is kept and handed over on {@link #connect}.
 */
final class ChannelHooks {

    /** Receives the hooks of one channel. */
    interface Receiver {

        /** An in-memory counter was signalled. */
        void signalled();

        /** A shared channel attached, re-attached or took over serving. */
        void resync(String reason);

        /** The channel was paused or resumed, or a listener added, removed, stopped or started. */
        void readingChanged();
    }

    private volatile @Nullable Receiver receiver;

    private @Nullable String pendingResync;

    /**
     * Deliver the hooks to {@code receiver} from now on, first the resync that came before.
     */
    void connect(Receiver receiver) {
        String resync;
        synchronized (this) {
            this.receiver = receiver;
            resync = this.pendingResync;
            this.pendingResync = null;
        }
        if (resync != null) {
            receiver.resync(resync);
        }
    }

    void signalled() {
        Receiver current = this.receiver;
        if (current != null) {
            current.signalled();
        }
    }

    void readingChanged() {
        Receiver current = this.receiver;
        if (current != null) {
            current.readingChanged();
        }
    }

    void resync(String reason) {
        Receiver current;
        synchronized (this) {
            current = this.receiver;
            if (current == null) {
                this.pendingResync = reason;
                return;
            }
        }
        current.resync(reason);
    }
}
