package io.github.eventfd.share;

/**
 * Told about the events of a shared channel that an application may react to.
 *
 * <p>Called on the channel's own threads (the server's, the fan-out's writer, a caller of {@code signal()}),
 * possibly on several at once: an implementation must be thread-safe and must not block, since the thread that
 * calls it does nothing else meanwhile (a broadcast's fan-out writer, for one, writes to no subscriber until the
 * call returns). Hand slow work to a thread of your own.
 */
public interface ShareListener {

    /** A listener that ignores everything. */
    ShareListener NONE = new ShareListener() {
    };

    /**
     * The channel (re)attached or took over serving: a signal may have raced the change, so readers
     * should look at their real data source once.
     * @param reason what happened, for logs
     */
    default void resync(String reason) {
    }

    /**
     * A peer or message was refused, or talking to a peer failed; the channel goes on.
     * @param reason why, a bounded set
     * @param detail what happened, for logs
     */
    default void refused(ShareErrorReason reason, String detail) {
    }
}
