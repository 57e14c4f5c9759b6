package io.github.eventfd;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.eventfd.internal.EpollEventArray;
import io.github.eventfd.internal.Errno;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.FdInfo;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import org.jspecify.annotations.Nullable;

/**
 * A Linux eventfd: a 64-bit kernel counter that one side adds to and the other reads, with the kernel's
 * semantics exactly (see {@code man 2 eventfd}).
 *
 * <pre>{@code
 * try (EventFd doorbell = EventFd.create()) {
 *     doorbell.signal();                 // from any thread: adds 1
 *     long count = doorbell.read();      // blocks until the counter is non-zero, then resets it
 * }
 * }</pre>
 *
 * <h2>The counter is unsigned</h2>
 * The kernel counter ranges from 0 to {@link #MAX_COUNT} (0xfffffffffffffffe). Java's {@code long} is
 * signed, so:
 * <ul>
 * <li>{@link #signal(long)} takes 1 to {@link Long#MAX_VALUE}; {@link #signalUnsigned(long)} takes any
 * unsigned value from 1 to {@link #MAX_COUNT} (a negative long stands for a value above
 * {@code Long.MAX_VALUE}).</li>
 * <li>every read returns the unsigned count in a long: print and compare it with {@link UnsignedCount}.</li>
 * <li>a signal that would raise the counter past {@link #MAX_COUNT} throws {@link CounterOverflowException}
 * and adds nothing: it never blocks and never loses the count already there.</li>
 * </ul>
 *
 * <h2>Reads</h2>
 * In {@link EventFdMode#COUNTER} mode a read returns the whole counter and resets it to 0; in
 * {@link EventFdMode#SEMAPHORE} mode it returns 1 and decrements. {@link #tryRead()} never blocks and
 * returns 0 when there is nothing; {@link #read()} and {@link #read(Duration)} wait. The descriptor is
 * always non-blocking, so blocking and non-blocking reads can be mixed freely on one handle, and a read never
 * returns 0 unless it timed out or was a {@link #tryRead()}.
 *
 * <h2>Waiting</h2>
 * A platform thread waits in poll(2). A virtual thread is parked instead and its carrier is free for other
 * virtual threads: one shared daemon thread ({@code eventfd-read-waiter}, one epoll descriptor, started by
 * the first read that parks and kept for the life of the JVM) watches the eventfds that parked reads wait
 * for and unparks their readers. A platform thread parks the same way when the process is out of descriptors
 * and the wake-up eventfd its poll(2) needs cannot be created; if even the shared waiter cannot be created
 * then, the parked read looks at the counter every {@value #PARKED_POLL_MILLIS} ms until descriptors are
 * free again. Either way a waiting read needs no new descriptor of its own to go on working.
 *
 * <h2>Threads and closing</h2>
 * Every method is thread-safe. The descriptor is always close-on-exec. {@link #close()} rejects new calls
 * at once, wakes reads that are waiting (they fail with {@link IllegalStateException}), lets calls already
 * in the kernel finish, and closes the descriptor exactly once, when the last of them returns. After
 * {@code close()} every method fails with {@link IllegalStateException}, and the old descriptor number is
 * never used again, even though the kernel may hand it to another file. Closing twice does nothing.
 * A blocking read is not interrupted by {@link Thread#interrupt()}: use a timeout or {@code close()}.
 */
public final class EventFd implements EventCounter {

    /** The largest value the kernel counter can hold: 0xfffffffffffffffe, unsigned. */
    public static final long MAX_COUNT = 0xffff_ffff_ffff_fffeL;

    /** The largest initial value: the kernel takes an unsigned 32-bit int, so 2^32-1. */
    public static final long MAX_INITIAL_VALUE = 0xffff_ffffL;

    /** How often a parked read looks at the counter when no shared waiter could be created (out of descriptors). */
    static final long PARKED_POLL_MILLIS = 20;

    /** {@code Thread::isVirtual} on JDK 21 and later, {@code null} before: this class compiles for Java 17. */
    private static final @Nullable MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final OwnedFd fd;

    private final EventFdMode mode;

    private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();

    /**
     * Created on the first read of a platform thread that has to wait in poll(2); signalled by close() to wake
     * such reads.
     */
    private @Nullable OwnedFd readerWakeup;

    /** The reads of this handle that wait parked (virtual threads; platform threads out of descriptors). */
    private final ParkedReaders parked = new ParkedReaders();

    static {
        // Loaded with the handle: under EMFILE the class loader cannot open a class file, and a read, a
        // refused signal or pendingCount must not turn into a NoClassDefFoundError (see Posix).
        new CounterOverflowException(1, "preloading").getMessage();
        preload(Arguments.class, FdInfo.class, ParkedReaders.class, ReadinessWaiter.class, EpollEventArray.class,
                LockSupport.class);
        EventFdAccess.install(new EventFdAccess() {
            @Override
            public EventFd adopt(OwnedFd fd, EventFdMode mode) {
                return new EventFd(fd, mode);
            }

            @Override
            public OwnedFd descriptor(EventFd eventFd) {
                return eventFd.fd;
            }

            @Override
            public boolean retireInto(EventFd retired, EventFd successor, Duration maxWait) {
                return retired.retireInto(successor, maxWait);
            }
        });
    }

    private EventFd(OwnedFd fd, EventFdMode mode) {
        this.fd = fd;
        this.mode = mode;
    }

    /**
     * Create a counter-mode eventfd starting at 0.
     * @return the new handle
     * @throws EventFdUnavailableException if eventfd cannot be used here
     * @throws NativeCallException if the kernel refuses, for example with EMFILE
     */
    public static EventFd create() {
        return create(EventFdMode.COUNTER, 0);
    }

    /**
     * Create an eventfd starting at 0.
     * @param mode how reads consume the counter
     * @return the new handle
     * @throws EventFdUnavailableException if eventfd cannot be used here
     * @throws NativeCallException if the kernel refuses, for example with EMFILE
     */
    public static EventFd create(EventFdMode mode) {
        return create(mode, 0);
    }

    /**
     * Create an eventfd.
     * @param mode how reads consume the counter
     * @param initialValue the starting count, 0 to {@link #MAX_INITIAL_VALUE}
     * @return the new handle
     * @throws IllegalArgumentException if the initial value is out of range
     * @throws EventFdUnavailableException if eventfd cannot be used here
     * @throws NativeCallException if the kernel refuses, for example with EMFILE
     */
    public static EventFd create(EventFdMode mode, long initialValue) {
        Objects.requireNonNull(mode, "'mode' must not be null");
        EventFdRules.checkInitialValue(initialValue);
        EventFdSupport.ensureAvailability();
        int fd = Posix.eventfd(initialValue, mode == EventFdMode.SEMAPHORE);
        return new EventFd(new OwnedFd(fd, "eventfd"), mode);
    }

    /**
     * The read mode this handle was created with.
     * @return the mode
     */
    @Override
    public EventFdMode mode() {
        return this.mode;
    }

    /**
     * Add 1 to the counter. Allocates nothing.
     * @throws CounterOverflowException if the counter is already at {@link #MAX_COUNT}
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public void signal() {
        write(Scratch.one(), 1L);
    }

    /**
     * Add {@code n} to the counter.
     * @param n 1 to {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if {@code n} is 0 or negative; use {@link #signalUnsigned(long)} for
     * values above {@code Long.MAX_VALUE}
     * @throws CounterOverflowException if the counter would pass {@link #MAX_COUNT}; nothing is added
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public void signal(long n) {
        EventFdRules.checkSignal(n);
        writeValue(n);
    }

    /**
     * Add {@code n}, read as an unsigned 64-bit value, to the counter.
     * @param n 1 to {@link #MAX_COUNT} unsigned; a negative long stands for a value above {@code Long.MAX_VALUE}
     * @throws IllegalArgumentException if {@code n} is 0 or 0xffffffffffffffff (-1L)
     * @throws CounterOverflowException if the counter would pass {@link #MAX_COUNT}; nothing is added
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public void signalUnsigned(long n) {
        EventFdRules.checkUnsignedSignal(n);
        writeValue(n);
    }

    private void writeValue(long n) {
        if (n == 1L) {
            write(Scratch.one(), 1L);
            return;
        }
        Scratch scratch = Scratch.current();
        scratch.setLong(Scratch.VALUE, n);
        write(scratch.address() + Scratch.VALUE, n);
    }

    private void write(long valueAddress, long n) {
        int number = this.fd.acquire();
        try {
            if (!Posix.writeCounter(number, valueAddress)) {
                throw new CounterOverflowException(n, toString());
            }
        }
        finally {
            this.fd.release();
        }
    }

    /**
     * Read the counter if it is non-zero, never blocking.
     * @return the count read (unsigned; 1 in semaphore mode), or 0 if the counter was 0
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public long tryRead() {
        int number = this.fd.acquire();
        try {
            return Posix.readCounter(number, Scratch.current());
        }
        finally {
            this.fd.release();
        }
    }

    /**
     * Wait until the counter is non-zero, then read it.
     * @return the count read (unsigned; 1 in semaphore mode), never 0
     * @throws IllegalStateException if this handle is closed, before or while waiting
     */
    @Override
    public long read() {
        return await(-1L);
    }

    /**
     * Wait at most {@code timeout} until the counter is non-zero, then read it.
     * @param timeout how long to wait; zero behaves as {@link #tryRead()}
     * @return the count read (unsigned; 1 in semaphore mode), or 0 if the time ran out
     * @throws IllegalArgumentException if the timeout is negative
     * @throws IllegalStateException if this handle is closed, before or while waiting
     */
    @Override
    public long read(Duration timeout) {
        Arguments.checkTimeout(timeout);
        return await(Arguments.saturatedNanos(timeout));
    }

    private long await(long timeoutNanos) {
        int number = this.fd.acquire();
        try {
            Scratch scratch = Scratch.current();
            long value = Posix.readCounter(number, scratch);
            if (value != 0 || timeoutNanos == 0) {
                return value;
            }
            long deadline = System.nanoTime() + timeoutNanos;
            // a virtual thread must not wait in a native call: that would pin its carrier
            OwnedFd wakeup = onVirtualThread() ? null : readerWakeupUnlessOutOfDescriptors();
            return (wakeup != null) ? awaitInPoll(number, scratch, wakeup, timeoutNanos, deadline)
                    : awaitParked(number, scratch, timeoutNanos, deadline);
        }
        finally {
            this.fd.release();
        }
    }

    /** Wait in poll(2) for the counter or the wake-up eventfd; the caller holds {@code number}. */
    private long awaitInPoll(int number, Scratch scratch, OwnedFd wakeup, long timeoutNanos, long deadline) {
        int wakeupNumber = wakeup.acquire();
        try {
            for (;;) {
                int waitMillis = (timeoutNanos < 0) ? -1 : millisUntil(deadline);
                if (waitMillis == 0) {
                    return Posix.readCounter(number, scratch);
                }
                Posix.pollIn(scratch, number, wakeupNumber, waitMillis);
                if (this.fd.isClosed()) {
                    throw new IllegalStateException(this + " was closed while a read was waiting");
                }
                long value = Posix.readCounter(number, scratch);
                if (value != 0) {
                    return value;
                }
            }
        }
        finally {
            wakeup.release();
        }
    }

    /**
     * Wait parked until the shared waiter reports the counter readable, close() unparks this thread, or the
     * time runs out; the caller holds {@code number}. Interrupts do not end the wait (as in poll(2)) and are
     * kept for the caller.
     */
    private long awaitParked(int number, Scratch scratch, long timeoutNanos, long deadline) {
        ReadinessWaiter waiter = ReadinessWaiter.unlessOutOfDescriptors();
        Thread reader = Thread.currentThread();
        boolean interrupted = false;
        this.parked.add(reader);
        try {
            for (;;) {
                if (waiter != null) {
                    waiter.arm(this.parked, number);
                }
                // armed first: a signal from now on unparks this thread, one before it is read here
                long value = Posix.readCounter(number, scratch);
                if (value != 0) {
                    return value;
                }
                long pauseNanos = (waiter != null) ? -1 : TimeUnit.MILLISECONDS.toNanos(PARKED_POLL_MILLIS);
                if (timeoutNanos > 0) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return 0;
                    }
                    pauseNanos = (pauseNanos < 0) ? remaining : Math.min(pauseNanos, remaining);
                }
                // added to the parked readers above: a close from now on unparks this thread, and one before is
                // seen here, so no read parks after the close that should have woken it
                if (this.fd.isClosed()) {
                    throw new IllegalStateException(this + " was closed while a read was waiting");
                }
                if (pauseNanos < 0) {
                    LockSupport.park(this);
                }
                else {
                    LockSupport.parkNanos(this, pauseNanos);
                }
                interrupted |= Thread.interrupted();
                if (this.fd.isClosed()) {
                    throw new IllegalStateException(this + " was closed while a read was waiting");
                }
            }
        }
        finally {
            this.parked.remove(reader, waiter, number);
            if (interrupted) {
                reader.interrupt();
            }
        }
    }

    /** The wake-up eventfd for reads in poll(2), or {@code null} if the process is out of descriptors. */
    private synchronized @Nullable OwnedFd readerWakeupUnlessOutOfDescriptors() {
        if (this.fd.isClosed()) {
            throw new IllegalStateException(this + " is closed");
        }
        if (this.readerWakeup == null) {
            try {
                this.readerWakeup = new OwnedFd(Posix.eventfd(0, false), "eventfd-wakeup");
            }
            catch (NativeCallException ex) {
                if (outOfDescriptors(ex)) {
                    return null;
                }
                throw ex;
            }
        }
        return this.readerWakeup;
    }

    static boolean outOfDescriptors(NativeCallException ex) {
        return ex.errno() == Errno.EMFILE || ex.errnoName().equals("ENFILE");
    }

    private static boolean onVirtualThread() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        }
        catch (Throwable ex) {
            return false;
        }
    }

    private static @Nullable MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        }
        catch (ReflectiveOperationException ex) {
            return null;
        }
    }

    private static void preload(Class<?>... types) {
        // resolving the class literals has loaded them
    }

    private static int millisUntil(long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return 0;
        }
        // round up so that a wait never ends before the deadline
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999));
    }

    /**
     * The counter's current value, without consuming it (from {@code eventfd-count} in
     * {@code /proc/self/fdinfo}).
     * @return the unsigned count
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public long pendingCount() {
        int number = this.fd.acquire();
        try {
            return FdInfo.of(number).eventFdCount();
        }
        finally {
            this.fd.release();
        }
    }

    /**
     * Whether {@link #close()} has been called.
     * @return {@code true} once closed
     */
    @Override
    public boolean isClosed() {
        return this.fd.isClosed();
    }

    /**
     * The descriptor number, for diagnostics only: it may belong to another file once this handle is closed.
     * @return the number
     */
    public int descriptorNumber() {
        return this.fd.number();
    }

    /**
     * Close the handle: see the class description. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (this.fd.close()) {
            afterClose();
        }
    }

    /**
     * Close this handle after moving what is left in it, and what in-flight signals still add, into
     * {@code successor}: see {@link EventFdAccess#retireInto(EventFd, EventFd, Duration)}.
     */
    private boolean retireInto(EventFd successor, Duration maxWait) {
        return this.fd.retire(this::afterClose, number -> {
            Scratch scratch = Scratch.current();
            long moved = 0;
            long unit;
            while ((unit = Posix.readCounter(number, scratch)) != 0) {
                moved += unit;
            }
            if (moved != 0) {
                successor.signalUnsigned(moved);
            }
        }, maxWait);
    }

    /** Tell registrations and waiting reads that the handle is closed. */
    private void afterClose() {
        for (Runnable listener : this.closeListeners) {
            listener.run();
        }
        OwnedFd wakeup;
        synchronized (this) {
            wakeup = this.readerWakeup;
        }
        if (wakeup != null) {
            int number = wakeup.acquire();
            try {
                Posix.writeCounter(number, Scratch.one());
            }
            finally {
                wakeup.release();
            }
            wakeup.close();
        }
        this.parked.wakeAll();
    }

    /**
     * Run {@code listener} when this handle is closed, before its descriptor is released.
     * @param listener what to run; it must not throw
     */
    void addCloseListener(Runnable listener) {
        this.closeListeners.add(listener);
    }

    void removeCloseListener(Runnable listener) {
        this.closeListeners.remove(listener);
    }

    /** The owned descriptor, for the poller's registrations. */
    OwnedFd descriptor() {
        return this.fd;
    }

    @Override
    public String toString() {
        return "EventFd(fd=" + this.fd.number() + ", " + this.mode + (isClosed() ? ", closed)" : ")");
    }
}
