package io.github.eventfd.spring.channel;


/**
 * Delivers an in-memory channel on the thread that signals it, before {@code signal()} returns: for tests, where
 * counts must not depend on thread timing. Still one delivery at a time, and never nested:
 * <ul>
 * <li>a signal made while this thread delivers the channel (its own listener signals it) is added to the counter
 * and delivered by the running delivery's loop once the listener has returned;</li>
 * <li>a signal made while another thread delivers the channel is delivered by that thread right after its
 * current delivery (coalesced with whatever came meanwhile). The signalling thread never waits for another, so
 * two threads that signal each other's channels from listeners cannot deadlock.</li>
 * </ul>
 * A signal made inside a transaction reaches the counter when the transaction commits, so it is delivered on the
 * committing thread after the commit.
 */
final class SynchronousDispatch extends InMemorySubscription {

    SynchronousDispatch(AbstractEventFdChannel channel) {
        super(channel);
    }

    @Override
    void signalled() {
        // a thread that finds the lock taken leaves its count to the holder, which looks again after unlocking
        // this thread delivering the channel (its listener signals it) through this dispatch or one that a pause
        // and resume replaced: what it signals is delivered once that delivery has returned, never nested in it
        while (this.active && !this.delivering.isHeldByCurrentThread() && !this.channel.deliversOnCurrentThread()
                && this.delivering.tryLock()) {
            try {
                deliverAll();
            }
            finally {
                this.delivering.unlock();
            }
            if (!hasPending()) {
                return;
            }
        }
    }

    /** Deliver until the counter is empty: a listener's own signals come after it returns, one delivery each. */
    private void deliverAll() {
        try {
            long count;
            while (this.active && (count = this.channel.counter().tryRead()) != 0) {
                this.channel.deliver(count);
            }
        }
        catch (IllegalStateException ex) {
            // the counter was closed: nothing left to deliver
        }
    }
}
