package io.github.eventfd.share;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.NativeCalls;
import io.github.eventfd.internal.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of the broadcast fan-out whose writer waits on the ring and the fan-in sources itself:
 * a source closed by its owner while another process keeps the shared file signalled, counts offered right
 * before close, a subscriber that blocks the writer, and close racing attach, detach and signals.
 */
@EnabledOnOs(OS.LINUX)
class FanOutAttackTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final long FCNTL = System.getProperty("os.arch").equals("aarch64") ? 25 : 72;

    private static final long WRITE = System.getProperty("os.arch").equals("aarch64") ? 64 : 1;

    private final List<Topology.Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private final Resources resources = new Resources();

    private final List<Integer> rawFds = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        this.resources.close();
        for (int fd : this.rawFds) {
            NativeCalls.INSTANCE.close(fd);
        }
    }

    private EventFd subscribe() {
        EventFd eventFd = this.resources.add(EventFd.create());
        this.subscribers.add(new Topology.Subscriber(eventFd, new PeerInfo(1, 1, 1, true)));
        return eventFd;
    }

    /** A second descriptor of the same open file: what a peer process holds after SCM_RIGHTS. */
    private int dupOf(EventFd eventFd) {
        int fd = (int) NativeCalls.INSTANCE.syscall(FCNTL, eventFd.descriptorNumber(), Linux.F_DUPFD_CLOEXEC, 100, 0, 0);
        assertThat(fd).isGreaterThanOrEqualTo(100);
        this.rawFds.add(fd);
        return fd;
    }

    private static void rawSignal(int fd, long n) {
        Scratch scratch = Scratch.current();
        scratch.setLong(Scratch.VALUE, n);
        assertThat(NativeCalls.INSTANCE.syscall(WRITE, fd, scratch.address() + Scratch.VALUE, 8, 0, 0)).isEqualTo(8);
    }

    private static Optional<Thread> thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst();
    }

    private static long cpuOver(Thread thread, long millis) throws InterruptedException {
        long before = THREADS.getThreadCpuTime(thread.getId());
        Thread.sleep(millis);
        return THREADS.getThreadCpuTime(thread.getId()) - before;
    }

    /**
     * The fan-in is handed to every subscriber process. If the serving
     * process's handle on it is closed while a peer still holds the file, the epoll interest of the writer stays
     * (epoll forgets a file only when its last descriptor closes), a peer's signal keeps it readable,
     * {@code take} finds the handle closed and returns 0 without reading, and the level-triggered wait
     * reports it again at once: the writer spins.
     */
    @Test
    void sourceClosedByItsOwnerWhileAPeerKeepsTheFileSignalledDoesNotSpinTheWriter() throws Exception {
        EventFd source = EventFd.create();
        int peerFd = dupOf(source);
        AtomicLong taken = new AtomicLong();
        FanOut fanOut = this.resources.add(new FanOut("atk-src", () -> this.subscribers,
                List.of(new FanOut.Source(source, taken::addAndGet))));
        EventFd subscriber = subscribe();
        rawSignal(peerFd, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.pendingCount() == 2);
        source.close();
        rawSignal(peerFd, 3);
        Thread writer = thread("eventfd-share-atk-src-fan-out").orElseThrow();
        Thread.sleep(100);
        long cpu = cpuOver(writer, 500);
        assertThat(cpu).as("writer CPU ns over 500 ms").isLessThan(50_000_000L);
        assertThat(fanOut.offer(1)).isTrue();
    }

    @Test
    void manySignalsThenImmediateCloseDeliverExactCountsToEverySubscriber() throws Exception {
        for (int round = 0; round < 20; round++) {
            this.subscribers.clear();
            EventFd source = this.resources.add(EventFd.create());
            AtomicLong taken = new AtomicLong();
            FanOut fanOut = new FanOut("atk-close-" + round, () -> this.subscribers,
                    List.of(new FanOut.Source(source, taken::addAndGet)));
            List<EventFd> subs = List.of(subscribe(), subscribe(), subscribe());
            long offered = 0;
            int signals = ThreadLocalRandom.current().nextInt(1, 5_000);
            for (int i = 0; i < signals; i++) {
                if ((i & 1) == 0) {
                    fanOut.offer(1);
                }
                else {
                    source.signal();
                }
                offered++;
            }
            long start = System.nanoTime();
            fanOut.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FanOut.CLOSE_WAIT.plusSeconds(5));
            for (EventFd sub : subs) {
                assertThat(sub.pendingCount()).as("round %d", round).isEqualTo(offered);
            }
        }
    }

    /**
     * A subscriber that stalls the writer: another process cleared O_NONBLOCK on the shared file and keeps the
     * counter full. The others must get every count, and once the fan-out is closed and the subscriber's
     * eventfd too, no fan-out thread of the channel may be left blocked in write(2).
     */
    @Test
    void stalledSubscriberWithBlockingFullCounterNeitherLosesOthersCountsNorLeaksAThreadPastClose() throws Exception {
        EventFd stalled = EventFd.create();
        this.subscribers.add(new Topology.Subscriber(stalled, new PeerInfo(2, 2, 2, true)));
        int peerFd = dupOf(stalled);
        long flags = NativeCalls.INSTANCE.syscall(FCNTL, peerFd, Linux.F_GETFL, 0, 0, 0);
        assertThat(NativeCalls.INSTANCE.syscall(FCNTL, peerFd, Linux.F_SETFL, flags & ~Linux.O_NONBLOCK, 0, 0)).isZero();
        EventFd good = subscribe();
        FanOut fanOut = new FanOut("atk-stall", () -> this.subscribers);
        AtomicBoolean stop = new AtomicBoolean();
        // the hostile peer: keeps the counter at its maximum whatever the watchdog's rescue reads
        Thread peer = new Thread(() -> {
            while (!stop.get()) {
                Scratch scratch = Scratch.current();
                scratch.setLong(Scratch.VALUE, 1);
                // a blocking write of 1 returns as soon as a rescue read freed room: the counter is full again
                NativeCalls.INSTANCE.syscall(WRITE, peerFd, scratch.address() + Scratch.VALUE, 8, 0, 0);
                long pending = stalled.isClosed() ? 0 : stalled.pendingCount();
                if (pending != 0 && Long.compareUnsigned(pending, EventFd.MAX_COUNT) < 0) {
                    scratch.setLong(Scratch.VALUE, EventFd.MAX_COUNT - pending);
                    NativeCalls.INSTANCE.syscall(WRITE, peerFd, scratch.address() + Scratch.VALUE, 8, 0, 0);
                }
            }
        }, "atk-hostile-peer");
        rawSignal(peerFd, EventFd.MAX_COUNT);
        peer.setDaemon(true);
        peer.start();
        try {
            for (int i = 0; i < 50; i++) {
                fanOut.offer(1);
                Thread.sleep(20);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> good.pendingCount() == 50);
            await().atMost(Duration.ofSeconds(10)).until(() -> fanOut.droppedReady().pendingCount() > 0);
            FanOut.Dropped dropped = fanOut.nextDropped();
            assertThat(dropped).isNotNull();
            assertThat(dropped.subscriber().eventFd()).isSameAs(stalled);
            System.out.println("stalled subscriber dropped: " + dropped.why());
        }
        finally {
            long start = System.nanoTime();
            fanOut.close();
            System.out.println("close with a stalled subscriber took " + (System.nanoTime() - start) / 1_000_000 + " ms");
            stop.set(true);
        }
        stalled.close();
        // free the hostile peer's own blocking write (a test thread, not the fan-out's)
        for (int i = 0; i < 10 && peer.isAlive(); i++) {
            io.github.eventfd.internal.Posix.readCounter(peerFd, Scratch.current());
            peer.join(200);
        }
        // a thread freed from its write ends when the scheduler lets it; one blocked for good never does
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()
                .stream().map(Thread::getName).filter(name -> name.startsWith("eventfd-share-atk-stall")))
                .as("fan-out threads left blocked after close (peer alive %s)", peer.isAlive()).isEmpty());
    }

    @Test
    void closeRacingAttachDetachAndSignalsEndsInTimeAndKeepsEveryCountForSteadySubscribers() throws Exception {
        for (int round = 0; round < 10; round++) {
            this.subscribers.clear();
            EventFd steady = subscribe();
            FanOut fanOut = new FanOut("atk-race-" + round, () -> this.subscribers);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong offered = new AtomicLong();
            Thread churn = new Thread(() -> {
                while (!stop.get()) {
                    EventFd eventFd = EventFd.create(EventFdMode.COUNTER);
                    Topology.Subscriber sub = new Topology.Subscriber(eventFd, new PeerInfo(3, 3, 3, true));
                    this.subscribers.add(sub);
                    Thread.onSpinWait();
                    this.subscribers.remove(sub);
                    fanOut.forget(sub);
                    eventFd.close();
                }
            });
            Thread signaller = new Thread(() -> {
                while (!stop.get()) {
                    if (fanOut.offer(1)) {
                        offered.incrementAndGet();
                    }
                }
            });
            churn.start();
            signaller.start();
            Thread.sleep(50);
            stop.set(true);
            signaller.join();
            long start = System.nanoTime();
            fanOut.close();
            churn.join();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FanOut.CLOSE_WAIT.plusSeconds(5));
            assertThat(steady.pendingCount()).as("round %d", round).isEqualTo(offered.get());
        }
    }

    @Test
    void offersThenImmediateCloseWhileTheWriterIsBlockedOnAStalledSubscriberStillReachTheOthers() throws Exception {
        EventFd stalled = this.resources.add(EventFd.create());
        int peerFd = dupOf(stalled);
        long flags = NativeCalls.INSTANCE.syscall(FCNTL, peerFd, Linux.F_GETFL, 0, 0, 0);
        assertThat(NativeCalls.INSTANCE.syscall(FCNTL, peerFd, Linux.F_SETFL, flags & ~Linux.O_NONBLOCK, 0, 0)).isZero();
        rawSignal(peerFd, EventFd.MAX_COUNT);
        this.subscribers.add(new Topology.Subscriber(stalled, new PeerInfo(2, 2, 2, true)));
        EventFd first = subscribe();
        EventFd second = subscribe();
        FanOut fanOut = new FanOut("atk-stall-close", () -> this.subscribers);
        long offered = 0;
        for (int i = 0; i < 1_000; i++) {
            fanOut.offer(3);
            offered += 3;
        }
        long start = System.nanoTime();
        fanOut.close();
        long took = (System.nanoTime() - start) / 1_000_000;
        System.out.println("close while the writer blocks on a stalled subscriber took " + took + " ms; first "
                + first.pendingCount() + ", second " + second.pendingCount() + " of " + offered);
        assertThat(took).isLessThan(FanOut.CLOSE_WAIT.toMillis() + 5_000);
        assertThat(first.pendingCount()).isEqualTo(offered);
        assertThat(second.pendingCount()).isEqualTo(offered);
        // the rescue may have read the stalled counter; empty it so that no fan-out thread stays blocked
        io.github.eventfd.internal.Posix.readCounter(peerFd, Scratch.current());
    }
}
