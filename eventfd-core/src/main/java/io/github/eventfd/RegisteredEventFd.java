package io.github.eventfd;

import io.github.eventfd.internal.Errno;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One eventfd in a poller's epoll set: reads it when epoll reports it readable and runs the callback, so
 * that at most one delivery runs at a time and signals that arrive meanwhile coalesce in the kernel counter.
 *
 * <p>How the interest is armed depends on where the callback runs. Inline, the delivery runs on the poller
 * thread before it waits again, which already makes deliveries one at a time: the interest is
 * level-triggered and stays armed, and a delivery costs the read and the callback, with no
 * {@code epoll_ctl} (the counter it drained is no longer readable; one that is still readable, a semaphore
 * or a signal that came meanwhile, is reported by the next wait). On an executor, the delivery outlives
 * the wait that reported it: the interest is {@code EPOLLONESHOT} and re-armed once the callback returned,
 * so the poller neither hands out a second delivery meanwhile nor spins on a counter not yet read.
 *
 * <p>The registration holds the eventfd's descriptor open (acquired from its {@link OwnedFd}) until it
 * has left the epoll set, and it only lets go once no delivery is running, so a delivery never touches a
 * descriptor number the kernel may have reused.
 *
 * <p>Two locks. The delivery lock is held by a delivery from the read to the re-arm, callback included;
 * a close waits for it at most as long as it is told to. The arm lock guards {@link #active} and every
 * {@code epoll_ctl} that adds or re-arms the interest, and is held only around that one call: once
 * {@link #isActive()} is {@code false}, no arm can follow. A close that cannot take the delivery lock
 * leaves the release to the holder, which checks {@link #active} after letting go of the lock (see
 * {@link #unlockDelivery()}); so whichever of the two comes last releases, and nothing stays armed.
 */
final class RegisteredEventFd implements PollerRegistration {

    /** An inline delivery runs before the poller waits again: level-triggered, never re-armed. */
    private static final int INLINE_INTEREST = Linux.EPOLLIN;

    /** A delivery on an executor outlives the wait: one event, re-armed after the callback. */
    private static final int ONE_SHOT_INTEREST = Linux.EPOLLIN | Linux.EPOLLONESHOT;

    private final EventFdPoller poller;

    private final EventFd eventFd;

    private final OwnedFd descriptor;

    private final int fd;

    private final SignalCallback callback;

    private final @Nullable Executor executor;

    /** {@link #INLINE_INTEREST} or {@link #ONE_SHOT_INTEREST}. */
    private final int interest;

    private final PollerErrorHandler errorHandler;

    private final ReentrantLock delivering = new ReentrantLock();

    /** Guards {@link #active} and the adding and re-arming of the interest; held only around one epoll_ctl. */
    private final ReentrantLock arming = new ReentrantLock();

    /**
     * Native memory for the read and the re-arm of a delivery on the executor, used under the delivery lock
     * only; {@code null} inline, where deliveries use the poller thread's block, so that an inline
     * registration holds no native memory of its own.
     */
    private final @Nullable Scratch buffer;

    private final AtomicBoolean released = new AtomicBoolean();

    /** Whether the poller has reported this registration as still running past its close timeout. */
    private final AtomicBoolean reportedStillRunning = new AtomicBoolean();

    /** A delivery on the executor, with {@link #buffer}; {@code null} inline. */
    private final @Nullable Runnable deliverTask;

    /**
     * When the eventfd is closed, leave without waiting: a running callback lets go of the descriptor when it
     * returns, and the close of the eventfd must not hang on a callback that never returns.
     */
    private final Runnable closeOnEventFdClose = () -> leave(Duration.ZERO);

    /** Written under the arm lock only; once false, never true again. */
    private volatile boolean active = true;

    /** Whether the eventfd is in the epoll set; written under both locks, read under the delivery lock. */
    private boolean armed;

    private long token;

    RegisteredEventFd(EventFdPoller poller, EventFd eventFd, SignalCallback callback, @Nullable Executor executor,
            PollerErrorHandler errorHandler) {
        this.poller = poller;
        this.eventFd = eventFd;
        this.callback = callback;
        this.executor = executor;
        this.interest = (executor != null) ? ONE_SHOT_INTEREST : INLINE_INTEREST;
        if (executor != null) {
            Scratch own = Scratch.newBlock();
            this.buffer = own;
            this.deliverTask = () -> deliver(own);
        }
        else {
            this.buffer = null;
            this.deliverTask = null;
        }
        this.errorHandler = errorHandler;
        this.descriptor = eventFd.descriptor();
        this.fd = this.descriptor.acquire();
    }

    void assignToken(long token) {
        this.token = token;
    }

    /**
     * Join the epoll set. Runs under the delivery lock, so a close that races it (the poller shutting down
     * sees the registration in its table before it is armed) either comes first, and the arm fails, or
     * finds the lock held and leaves the release to this call; on failure nothing stays held.
     * @throws IllegalStateException if the registration was closed meanwhile, or the eventfd was
     */
    void arm(int epfd) {
        this.delivering.lock();
        try {
            this.arming.lock();
            try {
                if (!this.active) {
                    throw new IllegalStateException("the poller closed while " + this.eventFd + " was being registered");
                }
                try {
                    Posix.epollCtl(epfd, Linux.EPOLL_CTL_ADD, this.fd, Scratch.current().epollEvent(this.interest,
                            this.token));
                }
                catch (NativeCallException ex) {
                    if (ex.errno() == Errno.EEXIST) {
                        // a registration not closed yet, or one closed with close(maxWait) while its callback ran,
                        // which leaves when the callback returns
                        throw new IllegalStateException(this.eventFd + " is still registered with this poller: by a "
                                + "registration not closed yet (close it first), or by one closed while its callback "
                                + "ran, which leaves once the callback returns", ex);
                    }
                    throw ex;
                }
                this.armed = true;
            }
            finally {
                this.arming.unlock();
            }
            this.eventFd.addCloseListener(this.closeOnEventFdClose);
            // an eventfd closed before the listener was added never calls it: it is marked closed before its
            // listeners run, so one of the two sees the other
            if (this.eventFd.isClosed()) {
                throw new IllegalStateException(this.eventFd + " is closed");
            }
        }
        catch (RuntimeException ex) {
            deactivate();
            releaseOnce();
            throw ex;
        }
        finally {
            unlockDelivery();
        }
    }

    long token() {
        return this.token;
    }

    /**
     * Called on the poller thread when epoll reported the eventfd readable.
     * @param pollerBuffer the poller thread's native block, for an inline delivery
     */
    void dispatch(Scratch pollerBuffer) {
        Executor target = this.executor;
        Runnable task = this.deliverTask;
        Scratch own = this.buffer;
        if (target == null || task == null || own == null) {
            deliver(pollerBuffer);
            return;
        }
        try {
            target.execute(task);
        }
        catch (RejectedExecutionException ex) {
            report(new EventFdException("executor rejected the delivery for " + this.eventFd
                    + "; delivered on the poller thread instead", ex));
            deliver(own);
        }
    }

    /** Read and call back under the delivery lock; {@code buffer} is the block the delivery may use. */
    private void deliver(Scratch buffer) {
        this.delivering.lock();
        try {
            if (this.active) {
                long count = Posix.readCounter(this.fd, buffer);
                if (count != 0) {
                    this.callback.onSignal(this.eventFd, count);
                }
            }
        }
        catch (Throwable ex) {
            report(ex);
        }
        finally {
            try {
                if (this.executor != null) {
                    rearmOrRelease(buffer);
                }
            }
            finally {
                // a level-triggered interest stays armed; a close that came meanwhile is finished here
                unlockDelivery();
            }
        }
    }

    /** Re-arm the one-shot interest (executor deliveries), or, if the registration is closed, leave the epoll set. */
    private void rearmOrRelease(Scratch buffer) {
        RuntimeException failure = null;
        this.arming.lock();
        try {
            if (this.active) {
                try {
                    int epfd = this.poller.acquireEpoll();
                    try {
                        Posix.epollCtl(epfd, Linux.EPOLL_CTL_MOD, this.fd, buffer.epollEvent(ONE_SHOT_INTEREST, this.token));
                        return;
                    }
                    finally {
                        this.poller.releaseEpoll();
                    }
                }
                catch (RuntimeException ex) {
                    failure = ex;
                    this.active = false;
                }
            }
        }
        finally {
            this.arming.unlock();
        }
        if (failure != null) {
            report(new EventFdException("cannot re-arm " + this.eventFd + "; its deliveries stop", failure));
        }
        // closed: perhaps by a close() that gave up waiting for this delivery and left the release to it
        releaseOnce();
    }

    /**
     * Let go of the delivery lock, then finish a close that found it held: the close cleared {@link #active}
     * before it tried the lock, and this reads it after letting go, so one of the two releases.
     */
    private void unlockDelivery() {
        this.delivering.unlock();
        if (!this.active && !this.released.get() && !this.delivering.isHeldByCurrentThread()
                && this.delivering.tryLock()) {
            try {
                releaseOnce();
            }
            finally {
                this.delivering.unlock();
            }
        }
    }

    private void deactivate() {
        this.arming.lock();
        try {
            this.active = false;
        }
        finally {
            this.arming.unlock();
        }
    }

    /** Whether a delivery of this registration runs on the calling thread (the callback is the caller). */
    boolean deliversOnCurrentThread() {
        return this.delivering.isHeldByCurrentThread();
    }

    /**
     * For the poller's report of a callback still running past its close timeout: report it once.
     * @return {@code true} the first time only
     */
    boolean firstReportOfStillRunning() {
        return this.reportedStillRunning.compareAndSet(false, true);
    }

    @Override
    public void close() {
        leave(null);
    }

    @Override
    public boolean close(Duration maxWait) {
        Objects.requireNonNull(maxWait, "'maxWait' must not be null");
        return leave(maxWait);
    }

    /**
     * Leave the epoll set.
     * @param maxWait how long to wait for a running delivery, or {@code null} for as long as it takes
     * @return {@code true} if done now, {@code false} if a delivery still runs and will finish the job
     */
    private boolean leave(@Nullable Duration maxWait) {
        deactivate();
        boolean locked;
        try {
            if (maxWait == null) {
                this.delivering.lock();
                locked = true;
            }
            else {
                locked = this.delivering.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            // the delivery that holds the lock releases the registration when it lets go (unlockDelivery)
            return false;
        }
        try {
            releaseOnce();
        }
        finally {
            unlockDelivery();
        }
        return true;
    }

    private void releaseOnce() {
        if (!this.released.compareAndSet(false, true)) {
            return;
        }
        this.eventFd.removeCloseListener(this.closeOnEventFdClose);
        try {
            if (this.armed) {
                int epfd = this.poller.acquireEpoll();
                try {
                    Posix.epollCtl(epfd, Linux.EPOLL_CTL_DEL, this.fd, 0L);
                }
                finally {
                    this.poller.releaseEpoll();
                }
            }
        }
        catch (IllegalStateException ex) {
            // the epoll instance is closed, which removed every interest already
        }
        catch (RuntimeException ex) {
            report(ex);
        }
        finally {
            this.poller.forget(this);
            this.descriptor.release();
        }
    }

    private void report(Throwable error) {
        try {
            this.errorHandler.handleError(this.eventFd, error);
        }
        catch (Throwable handlerFailure) {
            handlerFailure.addSuppressed(error);
            EventFdPoller.logger.log(System.Logger.Level.ERROR, "error handler failed for " + this.eventFd,
                    handlerFailure);
        }
    }

    @Override
    public EventFd eventFd() {
        return this.eventFd;
    }

    @Override
    public boolean isActive() {
        return this.active;
    }

    @Override
    public String toString() {
        return "PollerRegistration(" + this.eventFd + (this.executor != null ? ", executor" : ", inline")
                + (this.active ? ")" : ", closed)");
    }
}
