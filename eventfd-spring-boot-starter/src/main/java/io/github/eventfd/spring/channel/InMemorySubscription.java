package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The delivery of an in-memory channel, told of each signal by the channel's counter: one delivery at a time,
 * under {@link #delivering}; closing stops new deliveries and waits for the running one.
 */
abstract class InMemorySubscription implements ChannelSubscription {

    /** The channel delivered. */
    protected final AbstractEventFdChannel channel;

    /** Held while a delivery runs. */
    protected final ReentrantLock delivering = new ReentrantLock();

    /** Cleared by {@link #close}: nothing is delivered after. */
    protected volatile boolean active = true;

    InMemorySubscription(AbstractEventFdChannel channel) {
        this.channel = channel;
    }

    /** Called after every signal of the channel's counter, on the signalling thread. */
    abstract void signalled();

    /** Whether the counter holds something to deliver; {@code false} once it is closed. */
    final boolean hasPending() {
        try {
            return this.channel.counter().pendingCount() != 0;
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    @Override
    public final boolean close(Duration maxWait) {
        this.active = false;
        try {
            if (this.delivering.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                this.delivering.unlock();
                return true;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
