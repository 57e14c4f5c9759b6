package io.github.eventfd.spring.channel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.share.SharedChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The counter of a shared channel, which serves or attaches only when {@link #open()} is called (when the
 * application context starts), so that creating the channel never waits for another process.
 *
 * <p>Signals made before then are held in an in-JVM counter and moved into the shared channel when it opens,
 * so none is lost: a signal writes to the shared channel once it is published, or to the held counter and then
 * moves what the held counter has if the shared channel was published meanwhile (its write is then either seen
 * by the opener's move or moved by itself). Counts and non-waiting reads work before the channel opens;
 * waiting reads do not (nothing in the starter waits on a channel's counter).
 */
final class DeferredSharedCounter implements EventCounter {

    private static final Log logger = LogFactory.getLog(DeferredSharedCounter.class);

    private final String channel;

    private final Path socket;

    private final EventFdMode mode;

    private final Supplier<SharedChannel> opener;

    private final InMemoryEventCounter held;

    private volatile @Nullable SharedChannel shared;

    private volatile boolean closed;

    /**
     * @param definition the channel, shared
     * @param socket its socket path
     * @param opener serves or attaches, waiting up to the attach timeout
     */
    DeferredSharedCounter(ChannelDefinition definition, Path socket, Supplier<SharedChannel> opener) {
        this.channel = definition.name();
        this.socket = socket;
        this.mode = definition.mode();
        this.opener = opener;
        this.held = new InMemoryEventCounter(definition.mode(), 0);
    }

    /**
     * Serve or attach, waiting for a server up to the channel's attach timeout, then move what was signalled
     * before into the shared channel. Does nothing once open.
     * @throws ChannelSharingException naming the channel and its socket if it can neither serve nor attach
     * @throws IllegalStateException if the counter was closed
     */
    synchronized void open() {
        if (this.shared != null) {
            return;
        }
        if (this.closed) {
            throw new IllegalStateException("eventfd channel '" + this.channel + "' is closed");
        }
        SharedChannel opened;
        try {
            opened = this.opener.get();
        }
        catch (RuntimeException ex) {
            throw new ChannelSharingException(this.channel, this.socket, ex);
        }
        this.shared = opened;
        moveHeld(opened);
    }

    /**
     * The shared channel, once open.
     * @return the channel, or {@code null} before {@link #open()}
     */
    @Nullable SharedChannel shared() {
        return this.shared;
    }

    private void moveHeld(SharedChannel target) {
        try {
            long count;
            while ((count = this.held.tryRead()) != 0) {
                target.signalUnsigned(count);
            }
        }
        catch (IllegalStateException ex) {
            // closed meanwhile: nothing is delivered any more
        }
        catch (RuntimeException ex) {
            logger.warn("eventfd channel '" + this.channel + "': a count signalled before it was shared could not be "
                    + "added to the shared counter", ex);
        }
    }

    @Override
    public EventFdMode mode() {
        return this.mode;
    }

    @Override
    public void signal() {
        SharedChannel target = this.shared;
        if (target != null) {
            target.signal();
            return;
        }
        this.held.signal();
        movedIfOpenedMeanwhile();
    }

    @Override
    public void signal(long n) {
        SharedChannel target = this.shared;
        if (target != null) {
            target.signal(n);
            return;
        }
        this.held.signal(n);
        movedIfOpenedMeanwhile();
    }

    @Override
    public void signalUnsigned(long n) {
        SharedChannel target = this.shared;
        if (target != null) {
            target.signalUnsigned(n);
            return;
        }
        this.held.signalUnsigned(n);
        movedIfOpenedMeanwhile();
    }

    private void movedIfOpenedMeanwhile() {
        SharedChannel target = this.shared;
        if (target != null) {
            moveHeld(target);
        }
    }

    @Override
    public long tryRead() {
        SharedChannel target = this.shared;
        return (target != null) ? target.tryRead() : this.held.tryRead();
    }

    @Override
    public long read() {
        return opened().read();
    }

    @Override
    public long read(Duration timeout) {
        return opened().read(timeout);
    }

    private SharedChannel opened() {
        SharedChannel target = this.shared;
        if (target == null) {
            throw new IllegalStateException("eventfd channel '" + this.channel + "' is shared once the application "
                    + "has started: a read that waits needs it open");
        }
        return target;
    }

    @Override
    public long pendingCount() {
        SharedChannel target = this.shared;
        return (target != null) ? target.pendingCount() : this.held.pendingCount();
    }

    @Override
    public boolean isClosed() {
        return this.closed;
    }

    @Override
    public synchronized void close() {
        this.closed = true;
        this.held.close();
        SharedChannel target = this.shared;
        if (target != null) {
            target.close();
        }
    }

    @Override
    public String toString() {
        SharedChannel target = this.shared;
        return (target != null) ? target.toString() : "SharedChannel(" + this.channel + ", not open yet, " + this.socket
                + (this.closed ? ", closed)" : ")");
    }
}
