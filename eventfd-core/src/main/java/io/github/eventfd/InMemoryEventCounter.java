package io.github.eventfd;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link EventCounter} with eventfd's semantics kept in the JVM: for development on platforms without
 * eventfd, and for tests. It cannot be shared with another process.
 *
 * <p>Counter and semaphore modes, the initial-value and overflow limits, the argument checks and the
 * close behaviour are those of {@link EventFd}; the same contract tests run against both.
 */
public final class InMemoryEventCounter implements EventCounter {

    private final EventFdMode mode;

    private final Runnable onSignal;

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition readable = this.lock.newCondition();

    private long count;

    private boolean closed;

    /**
     * Create a counter.
     * @param mode how reads consume the counter
     * @param initialValue the starting count, 0 to {@link EventFd#MAX_INITIAL_VALUE}
     */
    public InMemoryEventCounter(EventFdMode mode, long initialValue) {
        this(mode, initialValue, () -> { });
    }

    /**
     * Create a counter that runs {@code onSignal} after every successful signal, on the signalling thread.
     * @param mode how reads consume the counter
     * @param initialValue the starting count, 0 to {@link EventFd#MAX_INITIAL_VALUE}
     * @param onSignal what to run; it must be quick and must not throw
     */
    public InMemoryEventCounter(EventFdMode mode, long initialValue, Runnable onSignal) {
        this.mode = Objects.requireNonNull(mode, "'mode' must not be null");
        EventFdRules.checkInitialValue(initialValue);
        this.onSignal = Objects.requireNonNull(onSignal, "'onSignal' must not be null");
        this.count = initialValue;
    }

    @Override
    public EventFdMode mode() {
        return this.mode;
    }

    @Override
    public void signal() {
        add(1L);
    }

    @Override
    public void signal(long n) {
        EventFdRules.checkSignal(n);
        add(n);
    }

    @Override
    public void signalUnsigned(long n) {
        EventFdRules.checkUnsignedSignal(n);
        add(n);
    }

    private void add(long n) {
        this.lock.lock();
        try {
            ensureOpen();
            // the sum must not pass MAX_COUNT: same as n <= MAX_COUNT - count, unsigned
            if (Long.compareUnsigned(n, EventFd.MAX_COUNT - this.count) > 0) {
                throw new CounterOverflowException(n, toString());
            }
            this.count += n;
            this.readable.signalAll();
        }
        finally {
            this.lock.unlock();
        }
        this.onSignal.run();
    }

    @Override
    public long tryRead() {
        this.lock.lock();
        try {
            ensureOpen();
            return take();
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public long read() {
        this.lock.lock();
        try {
            ensureOpen();
            while (this.count == 0) {
                this.readable.awaitUninterruptibly();
                ensureOpenAfterWait();
            }
            return take();
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public long read(Duration timeout) {
        Arguments.checkTimeout(timeout);
        long total = Arguments.saturatedNanos(timeout);
        long start = System.nanoTime();
        boolean interrupted = false;
        this.lock.lock();
        try {
            ensureOpen();
            while (this.count == 0) {
                long remaining = total - (System.nanoTime() - start);
                if (remaining <= 0) {
                    return 0;
                }
                try {
                    this.readable.awaitNanos(remaining);
                }
                catch (InterruptedException ex) {
                    // like EventFd, a read is not ended by interruption: keep waiting, restore the flag after
                    interrupted = true;
                }
                ensureOpenAfterWait();
            }
            return take();
        }
        finally {
            this.lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long take() {
        if (this.count == 0) {
            return 0;
        }
        if (this.mode == EventFdMode.SEMAPHORE) {
            this.count--;
            return 1;
        }
        long value = this.count;
        this.count = 0;
        return value;
    }

    @Override
    public long pendingCount() {
        this.lock.lock();
        try {
            ensureOpen();
            return this.count;
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        this.lock.lock();
        try {
            return this.closed;
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public void close() {
        this.lock.lock();
        try {
            this.closed = true;
            this.readable.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    private void ensureOpen() {
        if (this.closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private void ensureOpenAfterWait() {
        if (this.closed) {
            throw new IllegalStateException(this + " was closed while a read was waiting");
        }
    }

    @Override
    public String toString() {
        return "InMemoryEventCounter(" + this.mode + (this.closed ? ", closed)" : ")");
    }
}
