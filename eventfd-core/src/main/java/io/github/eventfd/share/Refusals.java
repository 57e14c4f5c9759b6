package io.github.eventfd.share;

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Where a channel reports refused peers and failed exchanges: logged (a refusal repeated within 30 seconds
 * at debug only, so a peer retrying in a loop cannot flood the log) and passed to the
 * {@link ShareListener}; the last one is kept for the message of a failed open.
 */
final class Refusals {

    private static final System.Logger logger = System.getLogger(SharedChannel.class.getName());

    private static final long REPEATED_REFUSAL_QUIET = TimeUnit.SECONDS.toNanos(30);

    private final String channel;

    private final ShareListener listener;

    private volatile @Nullable String last;

    private volatile long lastLogged;

    Refusals(String channel, ShareListener listener) {
        this.channel = channel;
        this.listener = listener;
    }

    void report(ShareErrorReason reason, String detail) {
        String refusal = detail + " (" + reason.tag() + ")";
        long now = System.nanoTime();
        boolean repeated = refusal.equals(this.last) && now - this.lastLogged < REPEATED_REFUSAL_QUIET;
        if (!repeated) {
            this.lastLogged = now;
        }
        this.last = refusal;
        logger.log(repeated ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, "channel ''{0}'': {1}",
                this.channel, refusal);
        try {
            this.listener.refused(reason, detail);
        }
        catch (RuntimeException ex) {
            logger.log(System.Logger.Level.ERROR, "share listener of channel '" + this.channel + "' failed", ex);
        }
    }

    /** The last refusal reported, with its reason, or {@code null}. */
    @Nullable String last() {
        return this.last;
    }
}
