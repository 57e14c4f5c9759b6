package io.github.eventfd.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Sole owner of one file descriptor: the number is closed exactly once, and never while a call uses it.
 *
 * <p>Every use brackets the call with {@link #acquire()} and {@link #release()}. {@link #close()} marks
 * the descriptor closed at once, so later acquires fail, and the last in-flight user performs the real
 * close(2). The number therefore can never reach a file the kernel handed out again after the close.
 * Not API.
 */
public final class OwnedFd {

    private static final System.Logger logger = System.getLogger(OwnedFd.class.getName());

    private static final int CLOSED = 1;

    private static final int USER = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(OwnedFd.class, "state", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int fd;

    private final String kind;

    /** Bit 0: closed. Bits 1 and up: number of in-flight users. */
    @SuppressWarnings("unused")
    private volatile int state;

    /**
     * Take ownership of an open descriptor.
     * @param fd the descriptor number
     * @param kind what it is, for messages ({@code "eventfd"}, {@code "epoll"})
     */
    public OwnedFd(int fd, String kind) {
        if (fd < 0) {
            throw new IllegalArgumentException("'fd' must be 0 or more but was " + fd);
        }
        this.fd = fd;
        this.kind = kind;
    }

    /**
     * Start using the descriptor.
     * @return the descriptor number, valid until the matching {@link #release()}
     * @throws IllegalStateException if the descriptor is closed
     */
    public int acquire() {
        for (;;) {
            int current = this.state;
            if ((current & CLOSED) != 0) {
                throw new IllegalStateException(this + " is closed");
            }
            if (STATE.compareAndSet(this, current, current + USER)) {
                return this.fd;
            }
        }
    }

    /**
     * Stop using the descriptor; closes it if it was marked closed and this was the last user.
     */
    public void release() {
        int now = (int) STATE.getAndAdd(this, -USER) - USER;
        if (now == CLOSED) {
            closeNow();
        }
    }

    /**
     * Mark the descriptor closed; it is closed now if unused, else by the last user's release.
     * @return {@code true} if this call marked it, {@code false} if it was already closed
     */
    public boolean close() {
        for (;;) {
            int current = this.state;
            if ((current & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current | CLOSED)) {
                if (current == 0) {
                    closeNow();
                }
                return true;
            }
        }
    }

    /**
     * Close the descriptor after one last use of it: mark it closed at once (later acquires fail), run
     * {@code wakeUsers} so that users waiting in the kernel return, wait until every in-flight user has
     * released it, then run {@code lastUse} with the number, alone, and close it.
     * @param wakeUsers what makes waiting users return
     * @param lastUse the last use, which no other user can race
     * @param maxWait how long to wait for in-flight users; past it the last use is skipped and the last user
     * closes the descriptor as {@link #close()} would
     * @return {@code true} if the last use ran, {@code false} if it was already closed or users stayed
     */
    public boolean retire(Runnable wakeUsers, IntConsumer lastUse, Duration maxWait) {
        for (;;) {
            int current = this.state;
            if ((current & CLOSED) != 0) {
                return false;
            }
            // closed for everyone else, and held by this call until its last use is done
            if (STATE.compareAndSet(this, current, (current | CLOSED) + USER)) {
                break;
            }
        }
        try {
            wakeUsers.run();
            long deadline = System.nanoTime() + maxWait.toNanos();
            boolean alone;
            while (!(alone = this.state == (CLOSED | USER)) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(10_000);
            }
            if (alone) {
                lastUse.accept(this.fd);
            }
            return alone;
        }
        finally {
            release();
        }
    }

    /**
     * Whether {@link #close()} has been called.
     * @return {@code true} once closed, even while a last user still holds the number
     */
    public boolean isClosed() {
        return (this.state & CLOSED) != 0;
    }

    /**
     * The descriptor number, for display only: do not use it without {@link #acquire()}.
     * @return the number
     */
    public int number() {
        return this.fd;
    }

    private void closeNow() {
        // Linux releases the number even when close(2) reports an error, so it is never retried.
        if (NativeCalls.INSTANCE.close(this.fd) != 0) {
            int errno = Errno.last();
            logger.log(System.Logger.Level.WARNING, "close(2) of {0} reported {1}: {2}", this, Errno.name(errno),
                    Errno.describe(errno));
        }
    }

    @Override
    public String toString() {
        return this.kind + "(fd=" + this.fd + (isClosed() ? ", closed)" : ")");
    }
}
