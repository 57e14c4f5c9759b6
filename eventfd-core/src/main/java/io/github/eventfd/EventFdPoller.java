package io.github.eventfd;

import io.github.eventfd.internal.EpollEventArray;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * One daemon thread that waits in {@code epoll_wait} on many eventfds and calls a {@link SignalCallback}
 * for each wake-up.
 *
 * <pre>{@code
 * try (EventFdPoller poller = EventFdPoller.builder().threadName("orders-poller").start();
 *      EventFd orders = EventFd.create()) {
 *     poller.register(orders, (fd, count) -> System.out.println(count + " new orders"));
 *     orders.signal();
 * }
 * }</pre>
 *
 * <h2>Delivery</h2>
 * When an eventfd becomes readable the poller reads it and calls the callback with the count read. At most
 * one callback per eventfd runs at a time, and signals that arrive while it runs coalesce in the kernel
 * counter: the next callback receives their sum. An inline registration is watched level-triggered and
 * never re-armed (its delivery ends before the thread waits again), so a delivery costs one read and no
 * {@code epoll_ctl}; one delivered on an executor is watched with {@code EPOLLONESHOT} and re-armed when its
 * callback returns.
 * A callback runs on the poller thread ({@link #register(EventFd, SignalCallback)}), which suits short,
 * non-blocking work, or on an executor ({@link #register(EventFd, SignalCallback, Executor)}), which keeps
 * a slow callback from delaying the other eventfds. The read happens on the thread that runs the callback,
 * so a count signalled before the callback starts is included in it. A read that finds the counter empty
 * (another process sharing the eventfd took it first) calls nothing.
 *
 * <h2>Failures</h2>
 * A callback that throws is passed to the {@link PollerErrorHandler} and delivery goes on. If the poller
 * itself fails, the failure goes to the handler too, {@link #failure()} keeps it and {@link #isRunning()}
 * turns false: the thread never dies silently.
 *
 * <h2>Cost</h2>
 * With nothing signalled the thread sleeps in the kernel: no CPU time, no wake-ups. Dispatch allocates
 * nothing per wake-up. {@link #close()} wakes the thread through a private eventfd and returns once it has
 * exited, leaving the registered eventfds open; a callback that does not return holds it up for the close
 * timeout at most.
 */
public final class EventFdPoller implements AutoCloseable {

    static final System.Logger logger = System.getLogger(EventFdPoller.class.getName());

    private static final long WAKEUP_TOKEN = 0L;

    private final OwnedFd epoll;

    private final OwnedFd wakeup;

    private final RegistrationTable registrations = new RegistrationTable();

    private final PollerErrorHandler errorHandler;

    private final int maxEventsPerWait;

    private final Duration closeTimeout;

    private final Thread thread;

    /**
     * The poller thread's native block for inline deliveries (so that inline registrations hold none of their
     * own); allocated here, before the thread starts, so that the thread allocates nothing once running.
     */
    private final Scratch deliveryBuffer = Scratch.newBlock();

    private volatile boolean stopping;

    private volatile @Nullable Throwable failure;

    /**
     * The registration the poller thread is handing a wake-up to (inline: running its callback), or
     * {@code null}. Written before the thread reads {@link #stopping}, and read by {@link #close()} after it
     * wrote it: so a close that reads {@code null} knows the thread will start no callback any more.
     */
    private volatile @Nullable RegisteredEventFd dispatching;

    private final Object deadlineLock = new Object();

    /** When the shutdown stops waiting for callbacks, by {@link System#nanoTime()}; guarded by deadlineLock. */
    private long deadline;

    /** Whether {@link #deadline} is set; guarded by deadlineLock. */
    private boolean deadlineSet;

    private EventFdPoller(Builder builder) {
        EventFdSupport.ensureAvailability();
        this.errorHandler = builder.errorHandler;
        this.maxEventsPerWait = builder.maxEventsPerWait;
        this.closeTimeout = builder.closeTimeout;
        this.epoll = new OwnedFd(Posix.epollCreate(), "epoll");
        try {
            this.wakeup = new OwnedFd(Posix.eventfd(0, false), "eventfd-wakeup");
        }
        catch (RuntimeException ex) {
            this.epoll.close();
            throw ex;
        }
        try {
            Posix.epollCtl(this.epoll.number(), Linux.EPOLL_CTL_ADD, this.wakeup.number(),
                    Scratch.current().epollEvent(Linux.EPOLLIN, WAKEUP_TOKEN));
        }
        catch (RuntimeException ex) {
            this.wakeup.close();
            this.epoll.close();
            throw ex;
        }
        this.thread = new Thread(this::run, builder.threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * A poller with default settings: thread {@code eventfd-poller}, errors logged.
     * @return the running poller
     * @throws EventFdUnavailableException if eventfd cannot be used here
     */
    public static EventFdPoller start() {
        return builder().start();
    }

    /**
     * Settings for a new poller.
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Deliver the signals of {@code eventFd} to {@code callback} on the poller thread. Once this returns,
     * signals are delivered until the registration, the handle or the poller is closed.
     * @param eventFd an open handle, not yet registered with this poller
     * @param callback what to call; keep it short and non-blocking
     * @return the registration; close it to stop delivery
     * @throws IllegalStateException if the handle or the poller is closed, or closes while this registers, or the
     * handle is still registered here (by a registration not closed yet, or by one closed with {@link
     * PollerRegistration#close(Duration)} while its callback ran, which leaves only once the callback returns)
     */
    public PollerRegistration register(EventFd eventFd, SignalCallback callback) {
        return add(eventFd, callback, null);
    }

    /**
     * Deliver the signals of {@code eventFd} to {@code callback} on {@code executor}. If the executor
     * rejects a delivery, the error handler is told and the delivery runs on the poller thread, so no count
     * is lost. Once this returns, signals are delivered until the registration, the handle or the poller is
     * closed.
     * @param eventFd an open handle, not yet registered with this poller
     * @param callback what to call
     * @param executor where to call it
     * @return the registration; close it to stop delivery
     * @throws IllegalStateException if the handle or the poller is closed, or closes while this registers, or the
     * handle is still registered here (by a registration not closed yet, or by one closed with {@link
     * PollerRegistration#close(Duration)} while its callback ran, which leaves only once the callback returns)
     */
    public PollerRegistration register(EventFd eventFd, SignalCallback callback, Executor executor) {
        return add(eventFd, callback, Objects.requireNonNull(executor, "'executor' must not be null"));
    }

    private PollerRegistration add(EventFd eventFd, SignalCallback callback, @Nullable Executor executor) {
        Objects.requireNonNull(eventFd, "'eventFd' must not be null");
        Objects.requireNonNull(callback, "'callback' must not be null");
        if (this.stopping) {
            throw new IllegalStateException(this + " is closed");
        }
        RegisteredEventFd registration = new RegisteredEventFd(this, eventFd, callback, executor, this.errorHandler);
        // The table refuses once the poller stops, and a shutdown reads it only after that: so it leaves every
        // registration added here, and arm() either fails or is undone by it.
        if (!this.registrations.add(registration)) {
            registration.close();
            throw new IllegalStateException(this + " is closed");
        }
        int epfd;
        try {
            epfd = acquireEpoll();
        }
        catch (IllegalStateException ex) {
            registration.close();
            throw ex;
        }
        try {
            registration.arm(epfd);
        }
        finally {
            releaseEpoll();
        }
        return registration;
    }

    int acquireEpoll() {
        return this.epoll.acquire();
    }

    void releaseEpoll() {
        this.epoll.release();
    }

    void forget(RegisteredEventFd registration) {
        this.registrations.remove(registration);
    }

    private void run() {
        EpollEventArray events = new EpollEventArray(this.maxEventsPerWait);
        Scratch buffer = this.deliveryBuffer;
        int epfd = this.epoll.acquire();
        try {
            while (!this.stopping) {
                int ready = Posix.epollWait(epfd, events, -1);
                for (int i = 0; i < ready; i++) {
                    long token = events.data(i);
                    if (token == WAKEUP_TOKEN) {
                        continue;
                    }
                    RegisteredEventFd registration = this.registrations.get(token);
                    if (registration == null) {
                        continue;
                    }
                    this.dispatching = registration;
                    try {
                        if (this.stopping) {
                            break;
                        }
                        registration.dispatch(buffer);
                    }
                    finally {
                        this.dispatching = null;
                    }
                }
            }
        }
        catch (Throwable ex) {
            this.failure = ex;
            stop();
            try {
                this.errorHandler.handleError(null, ex);
            }
            catch (Throwable handlerFailure) {
                logger.log(System.Logger.Level.ERROR, this + " failed and its error handler failed too", ex);
            }
        }
        finally {
            this.epoll.release();
            shutDown();
        }
    }

    /** Take no more registrations and let the thread end; the table first, so shutdowns see every one. */
    private void stop() {
        this.registrations.close();
        this.stopping = true;
    }

    /** The end of the thread: leave every registration within the deadline, then close the descriptors. */
    private void shutDown() {
        stop();
        leaveAll(deadline());
        this.wakeup.close();
        this.epoll.close();
    }

    /**
     * When the shutdown stops waiting for callbacks: the close timeout after the first {@link #close()}, or
     * after the thread failed if that came first.
     */
    private long deadline() {
        synchronized (this.deadlineLock) {
            if (!this.deadlineSet) {
                long timeout;
                try {
                    timeout = Math.min(this.closeTimeout.toNanos(), Long.MAX_VALUE / 4);
                }
                catch (ArithmeticException ex) {
                    timeout = Long.MAX_VALUE / 4;
                }
                this.deadline = System.nanoTime() + timeout;
                this.deadlineSet = true;
            }
            return this.deadline;
        }
    }

    private void leaveAll(long deadline) {
        for (RegisteredEventFd registration : this.registrations.all()) {
            Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!registration.close(remaining)) {
                reportStillRunning(registration);
            }
        }
    }

    private void reportStillRunning(RegisteredEventFd registration) {
        if (registration.firstReportOfStillRunning()) {
            logger.log(System.Logger.Level.WARNING, "{0} still runs its callback after the close timeout of {1}; the "
                    + "poller closes without it, and its eventfd is released when the callback returns", registration,
                    this.closeTimeout);
        }
    }

    /**
     * Whether the poller thread is alive and delivering.
     * @return {@code false} once closed or failed
     */
    public boolean isRunning() {
        return !this.stopping && this.thread.isAlive();
    }

    /**
     * What stopped the poller, if it failed rather than being closed.
     * @return the failure, or {@code null}
     */
    public @Nullable Throwable failure() {
        return this.failure;
    }

    /**
     * How many eventfds are registered now.
     * @return the number of active registrations
     */
    public int registrationCount() {
        return this.registrations.size();
    }

    /**
     * The name of the poller thread.
     * @return the name
     */
    public String threadName() {
        return this.thread.getName();
    }

    /**
     * Stop the thread and leave every registration, waiting for running callbacks up to the builder's
     * {@link Builder#closeTimeout(Duration) close timeout} in all. The eventfds stay open with their counts.
     *
     * <p>When the timeout has passed, a callback that still runs, on an executor or on the poller thread, is
     * left to finish: it is logged at WARNING, its registration is already closed and lets go of its eventfd
     * when the callback returns, and the poller thread, if it was the one running it, then ends by itself.
     * So this returns within the close timeout plus the time the thread needs to end, whatever callbacks do.
     *
     * <p>Calling it again is allowed, and so is calling it from a callback of this poller: the registration
     * of that callback is closed at once (the callback finishes normally), and the close returns without
     * waiting for the thread, which ends once it has left the other registrations.
     */
    @Override
    public void close() {
        long deadline = deadline();
        // A callback of this poller closing it: its own registration goes now, and the close does not wait for
        // the thread, which may be waiting for that callback to let go of its delivery lock.
        boolean fromCallback = false;
        for (RegisteredEventFd registration : this.registrations.all()) {
            if (registration.deliversOnCurrentThread()) {
                registration.close();
                fromCallback = true;
            }
        }
        if (!this.stopping) {
            stop();
            try {
                int number = this.wakeup.acquire();
                try {
                    Posix.writeCounter(number, Scratch.one());
                }
                finally {
                    this.wakeup.release();
                }
            }
            catch (IllegalStateException ex) {
                // the thread has already shut down
            }
        }
        if (!fromCallback && Thread.currentThread() != this.thread) {
            awaitThread(deadline);
        }
    }

    /**
     * Wait for the thread to end. Past the deadline, a thread still inside a callback is left to it: the
     * registrations are left from here and the descriptors closed, which the thread completes when the
     * callback returns. A thread in no callback by then starts none (it reads {@link #stopping} after it
     * publishes {@link #dispatching}) and its own waits end at the same deadline, so it is awaited.
     */
    private void awaitThread(long deadline) {
        boolean interrupted = false;
        try {
            while (this.thread.isAlive()) {
                long remaining = deadline - System.nanoTime();
                try {
                    if (remaining > 0) {
                        this.thread.join(remaining / 1_000_000, (int) (remaining % 1_000_000));
                        continue;
                    }
                    RegisteredEventFd stuck = this.dispatching;
                    if (stuck != null) {
                        abandon(stuck, deadline);
                        return;
                    }
                    this.thread.join();
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void abandon(RegisteredEventFd stuck, long deadline) {
        boolean inCallback = !stuck.close(Duration.ZERO);
        if (inCallback) {
            reportStillRunning(stuck);
        }
        leaveAll(deadline);
        this.wakeup.close();
        // the thread still holds the epoll descriptor: the last to let go closes it
        this.epoll.close();
        if (!inCallback && this.dispatching == stuck) {
            // in no callback, yet still dispatching: in an executor's execute() that does not return
            logger.log(System.Logger.Level.WARNING, "the thread of {0} still hands a delivery of {1} to its executor "
                    + "after the close timeout of {2}; the poller closes without it", this, stuck, this.closeTimeout);
        }
    }

    @Override
    public String toString() {
        return "EventFdPoller(" + this.thread.getName() + ", " + registrationCount() + " registered"
                + (isRunning() ? ")" : ", stopped)");
    }

    /**
     * Settings for an {@link EventFdPoller}.
     */
    public static final class Builder {

        private String threadName = "eventfd-poller";

        private PollerErrorHandler errorHandler = Builder::logError;

        private int maxEventsPerWait = 64;

        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        private static void logError(@Nullable EventFd eventFd, Throwable error) {
            logger.log(System.Logger.Level.ERROR, (eventFd != null) ? "delivery failed for " + eventFd
                    : "eventfd poller failed and stopped", error);
        }

        /**
         * Name of the poller thread.
         * @param threadName the name, not blank; default {@code eventfd-poller}
         * @return this builder
         */
        public Builder threadName(String threadName) {
            if (threadName == null || threadName.isBlank()) {
                throw new IllegalArgumentException("'threadName' must not be blank but was '" + threadName + "'");
            }
            this.threadName = threadName;
            return this;
        }

        /**
         * Where callback and poller failures go.
         * @param errorHandler the handler; default logs at ERROR through {@link System.Logger}
         * @return this builder
         */
        public Builder errorHandler(PollerErrorHandler errorHandler) {
            this.errorHandler = Objects.requireNonNull(errorHandler, "'errorHandler' must not be null");
            return this;
        }

        /**
         * How many ready eventfds one {@code epoll_wait} returns at most.
         * @param maxEventsPerWait 1 to 4096; default 64
         * @return this builder
         */
        public Builder maxEventsPerWait(int maxEventsPerWait) {
            this.maxEventsPerWait = EventFdRules.checkMaxEventsPerWait(maxEventsPerWait);
            return this;
        }

        /**
         * How long {@link EventFdPoller#close()} waits in all for running callbacks, on the poller thread or
         * on executors, before it goes on without them; each is logged at WARNING and releases its eventfd
         * when it returns.
         * @param closeTimeout zero or more; default 10 seconds
         * @return this builder
         */
        public Builder closeTimeout(Duration closeTimeout) {
            Objects.requireNonNull(closeTimeout, "'closeTimeout' must not be null");
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("'closeTimeout' must be zero or positive but was " + closeTimeout);
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Start a poller with these settings.
         * @return the running poller
         * @throws EventFdUnavailableException if eventfd cannot be used here
         * @throws NativeCallException if the kernel refuses an epoll or eventfd descriptor
         */
        public EventFdPoller start() {
            return new EventFdPoller(this);
        }
    }
}
