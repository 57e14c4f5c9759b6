package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Waits out the delays of listener redeliveries on one daemon thread, started by the first redelivery. What
 * is still waiting at shutdown is run at once by {@link #flush()}, so the drain delivers it.
 */
final class Redeliveries {

    private final String threadName;

    private @Nullable ScheduledThreadPoolExecutor scheduler;

    Redeliveries(String threadName) {
        this.threadName = threadName;
    }

    synchronized void schedule(Runnable redelivery, Duration delay) {
        ScheduledThreadPoolExecutor current = this.scheduler;
        if (current == null) {
            current = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, this.threadName);
                thread.setDaemon(true);
                return thread;
            });
            current.setRemoveOnCancelPolicy(true);
            this.scheduler = current;
        }
        current.schedule(redelivery, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Run every redelivery still waiting, now, on the calling thread, and end the scheduler thread. */
    void flush() {
        List<Runnable> waiting;
        synchronized (this) {
            ScheduledThreadPoolExecutor current = this.scheduler;
            if (current == null) {
                return;
            }
            this.scheduler = null;
            waiting = current.shutdownNow();
        }
        waiting.forEach(Runnable::run);
    }
}
