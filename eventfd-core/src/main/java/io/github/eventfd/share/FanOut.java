package io.github.eventfd.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.internal.EpollEventArray;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import org.jspecify.annotations.Nullable;

/**
 * Writes a broadcast's counts to its subscribers on a writer thread of its own. The writer waits in
 * {@code epoll_wait(2)} on its {@linkplain Source sources} (the serving process's outbound eventfd and the fan-in)
 * and reads them itself, so that a signal reaches the subscribers with one thread's wake-up and no hand-over
 * from the server's thread; {@link #offer(long)} hands it counts from elsewhere. Counts add up while a round of
 * writes runs; nobody that signals ever waits on a subscriber.
 *
 * <p>A subscriber's eventfd is shared with the subscriber, which can clear its {@code O_NONBLOCK} and fill
 * its counter: a write to it then waits in the kernel until the counter has room, which in semaphore mode
 * takes one read per unit of the count. A watchdog thread notices a write that has not returned within
 * {@link #STALL_BOUND}: the subscriber is dropped, the stuck writer thread is abandoned, and a fresh writer
 * carries on with the rest of the round, so that no subscriber delays the others by more than the bound. The
 * watchdog keeps draining the counter of each abandoned write until the write returns (its thread then ends)
 * or this fan-out closes. A subscriber whose counter is full is dropped too. Dropped subscribers are queued
 * for the server's thread, which disconnects them, and {@link #droppedReady()} tells it so.
 *
 * <p>An abandoned writer holds its subscriber's descriptor until its write returns; the server counts it
 * against the subscriber's uid ({@link #stuckWrites(int)}), so the peer limits bound them.
 */
final class FanOut implements AutoCloseable {

    /** How long one write to a subscriber may take before the subscriber is dropped and its writer abandoned. */
    static final Duration STALL_BOUND = Duration.ofMillis(500);

    /** How long {@link #close()} waits for the counts already offered to be written. */
    static final Duration CLOSE_WAIT = STALL_BOUND.multipliedBy(2);

    private static final long FIRST_RESCUE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private static final long LONGEST_RESCUE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String channel;

    private final Supplier<List<Topology.Subscriber>> subscribers;

    /** Counts offered and not yet taken by a round, unsigned, at most {@link EventFd#MAX_COUNT}. */
    private final AtomicLong pending = new AtomicLong();

    /** Rings when a subscriber was dropped; private to this process. */
    private final EventFd droppedReady = EventFd.create(EventFdMode.COUNTER, 0);

    private final Queue<Dropped> dropped = new ConcurrentLinkedQueue<>();

    /** Dropped subscribers that rounds must skip until the server has disconnected them. */
    private final Set<Topology.Subscriber> skipped = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();

    /** The writer that carries on the rounds; replaced, under {@link #lock}, when it is abandoned. */
    private volatile Writer current;

    /** Whether the current writer waits for counts; guarded by {@link #lock}. */
    private boolean idle;

    /** Abandoned writes whose counters the watchdog drains; guarded by {@link #lock}. */
    private final List<Stuck> stuck = new ArrayList<>();

    private final Thread watchdog;

    /** Set by the watchdog before it parks with no time limit, so that only then a round must unpark it. */
    private volatile boolean watchdogAsleep;

    private volatile boolean closed;

    /** Rings the writer's epoll_wait for {@link #offer(long)} and {@link #close()}; private to this process. */
    private final EventFd ring = EventFd.create(EventFdMode.COUNTER, 0);

    /** The eventfds the writer reads; index {@code i} is watched with token {@code i + 1}, the ring with 0. */
    private final List<Source> sources;

    /** The descriptor numbers of {@link #sources}, each held (in {@link #sourcesHeld}) until {@link #close()}. */
    private final int[] sourceNumbers;

    private final List<OwnedFd> sourcesHeld = new ArrayList<>();

    /** What the writer waits on: the ring and every source. */
    private final OwnedFd epoll;

    /** Drains {@link #close()} asked for, and the last one the writer finished; guarded by {@link #lock}. */
    private long drainsAsked;

    private long drainsDone;

    /** A fan-out of {@link #offer(long)} counts only. */
    FanOut(String channel, Supplier<List<Topology.Subscriber>> subscribers) {
        this(channel, subscribers, List.of());
    }

    /**
     * @param sources eventfds whose counts the writer reads and writes to every subscriber; the caller keeps
     * them open at least until this fan-out is closed (one closed earlier is no longer read)
     */
    FanOut(String channel, Supplier<List<Topology.Subscriber>> subscribers, List<Source> sources) {
        this.channel = channel;
        this.subscribers = subscribers;
        this.sources = List.copyOf(sources);
        this.epoll = new OwnedFd(Posix.epollCreate(), "epoll");
        this.sourceNumbers = new int[this.sources.size()];
        try {
            wakeOn(EventFdAccess.get().descriptor(this.ring), 0);
            for (int i = 0; i < this.sources.size(); i++) {
                OwnedFd source = EventFdAccess.get().descriptor(this.sources.get(i).eventFd());
                // held until this fan-out is closed: should its owner close it meanwhile while another process
                // keeps the file signalled, the number still names it, so its interest can be removed
                this.sourceNumbers[i] = source.acquire();
                this.sourcesHeld.add(source);
                wakeOn(source, i + 1);
            }
        }
        catch (RuntimeException ex) {
            this.epoll.close();
            this.sourcesHeld.forEach(OwnedFd::release);
            this.ring.close();
            this.droppedReady.close();
            throw ex;
        }
        this.watchdog = new Thread(this::watch, "eventfd-share-" + channel + "-watchdog");
        this.watchdog.setDaemon(true);
        this.current = new Writer(List.of(), 0, 0);
        this.current.thread.start();
        this.watchdog.start();
    }

    private void wakeOn(OwnedFd fd, long token) {
        int epfd = this.epoll.acquire();
        try {
            int number = fd.acquire();
            try {
                Posix.epollCtl(epfd, Linux.EPOLL_CTL_ADD, number, Scratch.current().epollEvent(Linux.EPOLLIN, token));
            }
            finally {
                fd.release();
            }
        }
        finally {
            this.epoll.release();
        }
    }

    /**
     * Hand a count to the writer, to be added to every subscriber's counter; never waits.
     * @param n the unsigned count
     * @return {@code false} if counts still waiting for a round would pass {@link EventFd#MAX_COUNT}: they are
     * kept at that, and the rest is lost
     */
    boolean offer(long n) {
        boolean kept;
        for (;;) {
            long before = this.pending.get();
            long sum = before + n;
            kept = Long.compareUnsigned(sum, before) >= 0 && Long.compareUnsigned(sum, EventFd.MAX_COUNT) <= 0;
            if (this.pending.compareAndSet(before, kept ? sum : EventFd.MAX_COUNT)) {
                break;
            }
        }
        ringWriter();
        return kept;
    }

    private void ringWriter() {
        try {
            this.ring.signal();
        }
        catch (RuntimeException ex) {
            // full (the writer reads it at every wake-up, so never) or closed: the writer has ended
        }
    }

    /** Whether every count offered so far has been written, and the writer waits for more. */
    boolean caughtUp() {
        synchronized (this.lock) {
            return this.idle && this.pending.get() == 0;
        }
    }

    /** Readable when {@link #nextDropped()} has something; the server's thread watches it. */
    EventFd droppedReady() {
        return this.droppedReady;
    }

    /**
     * The next subscriber to disconnect, or {@code null}; once disconnected, pass it to {@link #forget}.
     * @return the subscriber and why it was dropped
     */
    @Nullable Dropped nextDropped() {
        return this.dropped.poll();
    }

    /** A dropped subscriber was disconnected (its eventfd closed): rounds need not skip it any longer. */
    void forget(Topology.Subscriber subscriber) {
        this.skipped.remove(subscriber);
    }

    /**
     * Abandoned writes that still wait on a subscriber of {@code uid}.
     * @param uid the subscriber's uid
     * @return how many
     */
    int stuckWrites(int uid) {
        synchronized (this.lock) {
            int count = 0;
            for (Stuck write : this.stuck) {
                count += (write.subscriber().peer().uid() == uid) ? 1 : 0;
            }
            return count;
        }
    }

    /** All abandoned writes that still wait. */
    int stuckWrites() {
        synchronized (this.lock) {
            return this.stuck.size();
        }
    }

    private void drop(Topology.Subscriber subscriber, String why) {
        if (this.skipped.add(subscriber)) {
            this.dropped.add(new Dropped(subscriber, why));
            try {
                this.droppedReady.signal();
            }
            catch (RuntimeException ex) {
                // full (it would take 2^64 - 2 drops) or closed: the queue is read at the next ring or not at all
            }
        }
    }

    private void watch() {
        long bound = STALL_BOUND.toNanos();
        long rescuePause = FIRST_RESCUE_PAUSE_NANOS;
        while (!this.closed) {
            Writer writer = this.current;
            Topology.@Nullable Subscriber suspect = writer.writing;
            long write = writer.writes;
            long stuckFor = System.nanoTime() - writer.startedAt;
            if (suspect != null && stuckFor >= bound) {
                abandon(writer, suspect, write);
                rescuePause = FIRST_RESCUE_PAUSE_NANOS;
                continue;
            }
            long pause = (suspect != null) ? bound - stuckFor : bound;
            if (rescue()) {
                pause = Math.min(pause, rescuePause);
                // a counter that a few reads did not free is held by a large semaphore count or a peer that
                // keeps it full: read it less and less often
                rescuePause = Math.min(rescuePause * 2, LONGEST_RESCUE_PAUSE_NANOS);
            }
            else {
                rescuePause = FIRST_RESCUE_PAUSE_NANOS;
                if (suspect == null && !writer.inRound) {
                    pause = -1;
                }
            }
            if (pause < 0) {
                // asleep until a round starts: the writer unparks only a watchdog that says so, and the check
                // after saying so catches a round that started before the writer could see it
                this.watchdogAsleep = true;
                Writer now = this.current;
                if (!now.inRound && now.writing == null) {
                    LockSupport.park(this);
                }
                this.watchdogAsleep = false;
            }
            else {
                LockSupport.parkNanos(this, pause);
            }
        }
        synchronized (this.lock) {
            this.stuck.forEach(Stuck::release);
            this.stuck.clear();
        }
    }

    /** Drop the subscriber of a write stuck past the bound, and let a fresh writer carry on with the round. */
    private void abandon(Writer writer, Topology.Subscriber suspect, long write) {
        synchronized (this.lock) {
            if (this.current != writer || writer.writing != suspect || writer.writes != write) {
                return;
            }
            // the descriptor the writer reserved for a rescue is the watchdog's now
            OwnedFd hold = Objects.requireNonNull(writer.reserved, "a write in progress holds its descriptor");
            this.stuck.add(new Stuck(writer, suspect, hold, writer.reservedNumber));
            writer.thread.setName(writer.thread.getName() + "-stuck");
            Writer fresh = new Writer(writer.round, writer.next + 1, writer.count);
            fresh.drainSeen = writer.drainSeen;
            this.current = fresh;
            fresh.thread.start();
        }
        drop(suspect, "a write to it waited " + STALL_BOUND.toMillis() + " ms");
    }

    /**
     * Read each abandoned write's counter once, which makes room for the write; forget those that returned.
     * @return whether any still waits
     */
    private boolean rescue() {
        synchronized (this.lock) {
            if (this.stuck.isEmpty()) {
                return false;
            }
            this.stuck.removeIf(write -> {
                if (write.writer().writing != write.subscriber()) {
                    write.release();
                    return true;
                }
                try {
                    Posix.readCounter(write.number(), Scratch.current());
                }
                catch (RuntimeException ex) {
                    // nothing to do but wait for the write
                }
                return false;
            });
            return !this.stuck.isEmpty();
        }
    }

    /**
     * Write what was offered and not written yet, waiting at most {@link #CLOSE_WAIT} (a write stuck meanwhile
     * is abandoned as in any round), then stop; abandoned writes stay in the kernel until their counters have
     * room, no longer drained.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        long asked;
        synchronized (this.lock) {
            asked = ++this.drainsAsked;
        }
        // the writer reads every source once more and writes what it found before it says it is drained
        ringWriter();
        boolean writerDone;
        synchronized (this.lock) {
            long remaining;
            while (!drained(asked) && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            writerDone = drained(asked);
            this.closed = true;
            this.lock.notifyAll();
        }
        ringWriter();
        LockSupport.unpark(this.watchdog);
        try {
            this.watchdog.join(CLOSE_WAIT.toMillis());
            if (writerDone) {
                // it waits for counts, and ends at once now
                this.current.thread.join(CLOSE_WAIT.toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.droppedReady.close();
        this.epoll.close();
        this.sourcesHeld.forEach(OwnedFd::release);
        this.ring.close();
    }

    /** An unsigned sum, held at {@link EventFd#MAX_COUNT}. */
    private static long plus(long a, long b) {
        long sum = a + b;
        return (Long.compareUnsigned(sum, a) < 0 || Long.compareUnsigned(sum, EventFd.MAX_COUNT) > 0) ? EventFd.MAX_COUNT
                : sum;
    }

    /** Whether the writer has written everything offered, and read the sources after drain {@code asked}. */
    private boolean drained(long asked) {
        return caughtUp() && this.drainsDone >= asked;
    }

    /**
     * An eventfd whose counts the writer reads itself and writes to every subscriber.
     * @param eventFd the eventfd, private to this process
     * @param taken told each count read, on the writer's thread, before the count is written to anyone
     */
    record Source(EventFd eventFd, LongConsumer taken) {
    }

    /** A subscriber to disconnect, and why. */
    record Dropped(Topology.Subscriber subscriber, String why) {
    }

    /** An abandoned write, and the hold on its subscriber's descriptor that lets the watchdog drain it. */
    private record Stuck(Writer writer, Topology.Subscriber subscriber, OwnedFd hold, int number) {

        void release() {
            this.hold.release();
        }
    }

    /** One writer thread: takes a round of counts, writes it to every subscriber, and waits for the next. */
    private final class Writer implements Runnable {

        private final Thread thread;

        /** The round, the index of the next subscriber and the count: handed over when abandoned. */
        private List<Topology.Subscriber> round;

        private int next;

        private long count;

        /** The subscriber being written to now, or {@code null}; cleared under {@link #lock}. */
        volatile Topology.@Nullable Subscriber writing;

        /** Advances with every write, so the watchdog can tell a stuck write from a new one. */
        volatile long writes;

        /** When the write in progress started ({@link System#nanoTime()}), published before {@link #writing}. */
        volatile long startedAt;

        volatile boolean inRound;

        /** The last drain this writer saw asked for before it read the sources; guarded by {@link #lock}. */
        private long drainSeen;

        private final EpollEventArray events = new EpollEventArray(8);

        /** Sources found closed by their owner, whose interest this writer removed. */
        private final boolean[] forgotten = new boolean[FanOut.this.sources.size()];

        /** The subscriber's descriptor, held for a rescue during each write. */
        private @Nullable OwnedFd reserved;

        private int reservedNumber;

        Writer(List<Topology.Subscriber> round, int next, long count) {
            this.round = round;
            this.next = next;
            this.count = count;
            this.inRound = next < round.size();
            this.thread = new Thread(this, "eventfd-share-" + FanOut.this.channel + "-fan-out");
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            for (;;) {
                // a round may have nobody to write to
                while (this.next >= this.round.size()) {
                    if (!nextRound()) {
                        return;
                    }
                }
                Topology.Subscriber subscriber = this.round.get(this.next);
                if (!write(subscriber)) {
                    return;
                }
            }
        }

        /** Wait for counts and take them with the subscribers of now; {@code false} once closed or replaced. */
        private boolean nextRound() {
            this.inRound = false;
            long fromSources = 0;
            for (;;) {
                long n;
                synchronized (FanOut.this.lock) {
                    n = plus(FanOut.this.pending.getAndSet(0), fromSources);
                    if (n == 0) {
                        if (FanOut.this.closed || FanOut.this.current != this) {
                            return false;
                        }
                        FanOut.this.idle = true;
                        FanOut.this.drainsDone = Math.max(FanOut.this.drainsDone, this.drainSeen);
                        FanOut.this.lock.notifyAll();
                    }
                    else {
                        FanOut.this.idle = false;
                    }
                }
                if (n != 0) {
                    this.round = List.copyOf(FanOut.this.subscribers.get());
                    this.next = 0;
                    this.count = n;
                    this.inRound = true;
                    if (FanOut.this.watchdogAsleep) {
                        LockSupport.unpark(FanOut.this.watchdog);
                    }
                    return true;
                }
                fromSources = awaitCounts();
            }
        }

        /**
         * Wait until the ring or a source is readable, and read what rang.
         * @return the sum of the counts read from the sources
         */
        private long awaitCounts() {
            int ready;
            int epfd;
            try {
                epfd = FanOut.this.epoll.acquire();
            }
            catch (IllegalStateException ex) {
                return 0; // closed: the next pass ends this writer
            }
            try {
                ready = Posix.epollWait(epfd, this.events, -1);
            }
            finally {
                FanOut.this.epoll.release();
            }
            long sum = 0;
            boolean rang = false;
            for (int i = 0; i < ready; i++) {
                rang |= this.events.data(i) == 0;
            }
            if (rang) {
                try {
                    FanOut.this.ring.tryRead();
                }
                catch (IllegalStateException ex) {
                    return 0;
                }
                synchronized (FanOut.this.lock) {
                    this.drainSeen = FanOut.this.drainsAsked;
                }
                for (int i = 0; i < FanOut.this.sources.size(); i++) {
                    sum = plus(sum, take(i));
                }
                return sum;
            }
            for (int i = 0; i < ready; i++) {
                sum = plus(sum, take((int) this.events.data(i) - 1));
            }
            return sum;
        }

        private long take(int index) {
            Source source = FanOut.this.sources.get(index);
            long n;
            try {
                n = source.eventFd().tryRead();
            }
            catch (RuntimeException ex) {
                // closed by its owner: nothing more is read from it, and its interest goes, or a peer that keeps
                // the file signalled would wake this writer at once every time
                forget(index);
                return 0;
            }
            if (n != 0) {
                source.taken().accept(n);
            }
            return n;
        }

        private void forget(int index) {
            if (this.forgotten[index]) {
                return;
            }
            this.forgotten[index] = true;
            int epfd;
            try {
                epfd = FanOut.this.epoll.acquire();
            }
            catch (IllegalStateException ex) {
                return; // closed: the interest goes with the epoll
            }
            try {
                Posix.epollCtl(epfd, Linux.EPOLL_CTL_DEL, FanOut.this.sourceNumbers[index],
                        Scratch.current().epollEvent(0, 0));
            }
            catch (RuntimeException ex) {
                // already gone: nothing to remove
            }
            finally {
                FanOut.this.epoll.release();
            }
        }

        /** Write the round's count to one subscriber; {@code false} if this writer was abandoned meanwhile. */
        private boolean write(Topology.Subscriber subscriber) {
            if (FanOut.this.closed) {
                return false;
            }
            OwnedFd descriptor = EventFdAccess.get().descriptor(subscriber.eventFd());
            if (!FanOut.this.skipped.isEmpty() && FanOut.this.skipped.contains(subscriber)) {
                this.next++;
                return true;
            }
            try {
                // a second hold, so that a rescue can read the counter even after the subscriber's eventfd is closed
                this.reservedNumber = descriptor.acquire();
            }
            catch (IllegalStateException ex) {
                this.next++;
                return true;
            }
            this.reserved = descriptor;
            @Nullable String failure = null;
            this.startedAt = System.nanoTime();
            this.writes = this.writes + 1;
            this.writing = subscriber;
            // one write(2) on the descriptor this writer holds: no second hold and no checks of a count that
            // is never 0 nor past MAX_COUNT; a subscriber that left meanwhile is simply not written to
            if (!subscriber.eventFd().isClosed()) {
                try {
                    Scratch scratch = Scratch.current();
                    scratch.setLong(Scratch.VALUE, this.count);
                    if (!Posix.writeCounter(this.reservedNumber, scratch.address() + Scratch.VALUE)) {
                        failure = "its counter is full";
                    }
                }
                catch (RuntimeException ex) {
                    failure = "a write to it failed: " + ex.getMessage();
                }
            }
            synchronized (FanOut.this.lock) {
                this.writing = null;
                if (FanOut.this.current != this) {
                    // abandoned: the subscriber is dropped, the hold is the watchdog's, a fresh writer went on
                    return false;
                }
                this.next++;
            }
            this.reserved = null;
            descriptor.release();
            if (failure != null) {
                drop(subscriber, failure);
            }
            return true;
        }
    }
}
