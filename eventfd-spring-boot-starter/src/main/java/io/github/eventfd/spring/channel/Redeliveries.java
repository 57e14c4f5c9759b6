package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * Waits out the delays of listener redeliveries on one daemon thread, started by the first redelivery. At
 * shutdown, {@link #flush()} runs what is still waiting at once and ends the thread; a redelivery asked for
 * after that (by a listener failing during the drain) runs at once, on the caller's thread, until
 * {@link #open()} is called again by a restart.
 */
final class Redeliveries {

    private final String threadName;

    private final Set<Waiting> waiting = ConcurrentHashMap.newKeySet();

    private @Nullable ScheduledThreadPoolExecutor scheduler;

    private boolean flushed;

    Redeliveries(String threadName) {
        this.threadName = threadName;
    }

    /** Accept delayed redeliveries again, after a {@link #flush()}. */
    synchronized void open() {
        this.flushed = false;
    }

    void schedule(Runnable redelivery, Duration delay) {
        Waiting entry = new Waiting(redelivery);
        synchronized (this) {
            if (!this.flushed) {
                this.waiting.add(entry);
                scheduler().schedule(entry, delay.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
        entry.run();
    }

    private ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor current = this.scheduler;
        if (current == null) {
            current = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, this.threadName);
                thread.setDaemon(true);
                return thread;
            });
            this.scheduler = current;
        }
        return current;
    }

    /** Run every redelivery still waiting, now, on the calling thread, and end the scheduler thread. */
    void flush() {
        List<Waiting> due;
        synchronized (this) {
            this.flushed = true;
            ScheduledThreadPoolExecutor current = this.scheduler;
            this.scheduler = null;
            if (current != null) {
                current.shutdownNow();
            }
            due = new ArrayList<>(this.waiting);
        }
        due.forEach(Waiting::run);
    }

    /** One redelivery, run once: by the scheduler when its delay is over, or by a flush, whichever comes first. */
    private final class Waiting implements Runnable {

        private final Runnable redelivery;

        private final AtomicBoolean done = new AtomicBoolean();

        Waiting(Runnable redelivery) {
            this.redelivery = redelivery;
        }

        @Override
        public void run() {
            if (this.done.compareAndSet(false, true)) {
                Redeliveries.this.waiting.remove(this);
                this.redelivery.run();
            }
        }
    }
}
