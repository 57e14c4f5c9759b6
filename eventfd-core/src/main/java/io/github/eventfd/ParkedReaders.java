package io.github.eventfd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The reads of one handle that wait parked, and the handle's interest in the {@link ReadinessWaiter}'s
 * epoll set. The interest exists only while a read is parked, and the last parked read removes it while
 * it still holds the descriptor, so that no interest outlives the descriptor. A lock, not a monitor: on
 * JDK 21 to 23 a virtual thread blocked on a monitor pins its carrier.
 */
final class ParkedReaders {

    /** Guards the readers, {@link #key} and {@link #armed}; the waiter takes it too. */
    final ReentrantLock lock = new ReentrantLock();

    private final List<Thread> threads = new ArrayList<>(2);

    /** The epoll data of the interest, 0 while there is none. */
    long key;

    /** Whether the EPOLLONESHOT interest is armed (no event has disarmed it since the last ADD or MOD). */
    boolean armed;

    void add(Thread reader) {
        this.lock.lock();
        try {
            this.threads.add(reader);
        }
        finally {
            this.lock.unlock();
        }
    }

    void remove(Thread reader, @Nullable ReadinessWaiter waiter, int number) {
        this.lock.lock();
        try {
            this.threads.remove(reader);
            if (this.threads.isEmpty() && waiter != null) {
                waiter.removeInterest(this, number);
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    /** The waiter saw the counter readable: the one-shot interest is disarmed until a reader re-arms it. */
    void ready() {
        this.lock.lock();
        try {
            this.armed = false;
            for (Thread thread : this.threads) {
                LockSupport.unpark(thread);
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    void wakeAll() {
        this.lock.lock();
        try {
            for (Thread thread : this.threads) {
                LockSupport.unpark(thread);
            }
        }
        finally {
            this.lock.unlock();
        }
    }
}
