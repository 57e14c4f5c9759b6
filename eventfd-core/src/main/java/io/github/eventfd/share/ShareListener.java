package io.github.eventfd.share;

/**
 * Told about the events of a shared channel that an application may react to.
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
