package io.github.eventfd.spring.channel;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Delivers an in-memory channel the way the poller delivers an eventfd channel: one delivery at a time, on an
 * executor; signals arriving meanwhile coalesce in the counter and are delivered next.
 */
final class InMemoryDispatch extends InMemorySubscription {

    private static final Log logger = LogFactory.getLog(InMemoryDispatch.class);

    private final Executor executor;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final Runnable task = this::deliver;

    InMemoryDispatch(AbstractEventFdChannel channel, Executor executor) {
        super(channel);
        this.executor = executor;
    }

    @Override
    void signalled() {
        if (this.active && this.scheduled.compareAndSet(false, true)) {
            try {
                this.executor.execute(this.task);
            }
            catch (RejectedExecutionException ex) {
                logger.error("Executor rejected a delivery of eventfd channel '" + this.channel.channel()
                        + "'; delivering on the signalling thread", ex);
                deliver();
            }
        }
    }

    private void deliver() {
        this.delivering.lock();
        try {
            if (this.active) {
                long count = this.channel.counter().tryRead();
                if (count != 0) {
                    this.channel.deliver(count);
                }
            }
        }
        catch (IllegalStateException ex) {
            // the counter was closed: nothing left to deliver
        }
        finally {
            this.scheduled.set(false);
            this.delivering.unlock();
        }
        if (this.active && hasPending()) {
            signalled();
        }
    }
}
