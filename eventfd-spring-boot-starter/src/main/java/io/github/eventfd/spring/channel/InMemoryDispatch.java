package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Delivers an in-memory channel the way the poller delivers an eventfd channel: one delivery at a time, on an
 * executor; signals arriving meanwhile coalesce in the counter and are delivered next.
 */
final class InMemoryDispatch implements InMemorySubscription {

    private static final Log logger = LogFactory.getLog(InMemoryDispatch.class);

    private final AbstractEventFdChannel channel;

    private final Executor executor;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final ReentrantLock delivering = new ReentrantLock();

    private final Runnable task = this::deliver;

    private volatile boolean active = true;

    InMemoryDispatch(AbstractEventFdChannel channel, Executor executor) {
        this.channel = channel;
        this.executor = executor;
    }

    @Override
    public void signalled() {
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

    private boolean hasPending() {
        try {
            return this.channel.counter().pendingCount() != 0;
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    @Override
    public boolean close(Duration maxWait) {
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
