package io.github.eventfd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.NativeCalls;
import io.github.eventfd.internal.Posix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of level-triggered inline registrations: callbacks that do not drain, registrations that
 * leave inside or during their own delivery, semaphores, a blocking descriptor raced by another reader, the
 * counter's maximum and the poller thread's shared native block. After each attack the poller thread must be
 * idle (no wake-ups, no CPU time) and the other registrations must still be served.
 */
@EnabledOnOs(OS.LINUX)
class LevelTriggeredPollerAttackTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = this.resources.size() - 1; i >= 0; i--) {
            this.resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        this.resources.add(resource);
        return resource;
    }

    private EventFdPoller startPoller(String name) {
        return closeLater(EventFdPoller.builder().threadName(name)
                .errorHandler((eventFd, error) -> this.errors.add(error)).start());
    }

    /** The poller thread makes no wake-up and spends (almost) no CPU time over half a second. */
    private static void assertIdle(String threadName) throws InterruptedException {
        Path task = await().until(() -> ProcFs.task(threadName), Optional::isPresent).orElseThrow();
        Thread thread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(threadName))
                .findFirst().orElseThrow();
        // back in epoll_wait after what it last did, however late the scheduler lets it get there: a thread still
        // running then is preempted on a busy machine, and each preemption counts as a switch
        await(threadName + " asleep in epoll_wait").atMost(Duration.ofSeconds(30))
                .until(() -> ProcFs.sleepsInEpollWait(task));
        long switches = ProcFs.contextSwitches(task);
        long cpu = THREADS.getThreadCpuTime(thread.getId());
        Thread.sleep(500);
        long switchesAfter = ProcFs.contextSwitches(task);
        long cpuAfter = THREADS.getThreadCpuTime(thread.getId());
        assertThat(switchesAfter - switches).as("wake-ups of %s while idle", threadName).isLessThanOrEqualTo(1);
        assertThat(cpuAfter - cpu).as("CPU ns of %s while idle", threadName).isLessThan(20_000_000L);
    }

    @Test
    void callbackThatAlwaysThrowsLeavesThePollerIdle() throws Exception {
        EventFdPoller poller = startPoller("atk-throws");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicInteger calls = new AtomicInteger();
        poller.register(eventFd, (fd, count) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        eventFd.signal(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        assertIdle("atk-throws");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(this.errors).hasSize(1);
    }

    @Test
    void semaphoreDeliversExactlyOneUnitPerCallbackThenIdles() throws Exception {
        EventFdPoller poller = startPoller("atk-sem");
        EventFd eventFd = closeLater(EventFd.create(EventFdMode.SEMAPHORE));
        AtomicLong units = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        poller.register(eventFd, (fd, count) -> {
            units.addAndGet(count);
            calls.incrementAndGet();
        });
        eventFd.signal(2_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> units.get() == 2_000);
        assertThat(calls.get()).isEqualTo(2_000);
        assertIdle("atk-sem");
        assertThat(this.errors).isEmpty();
    }

    @Test
    void semaphoreAtTheMaximumCountDoesNotStarveAnotherRegistration() throws Exception {
        EventFdPoller poller = startPoller("atk-sem-max");
        EventFd flood = floodBesideAnother(poller);
        assertIdle("atk-sem-max");
        assertThat(flood.pendingCount()).isNotZero();
        assertThat(this.errors).isEmpty();
    }

    @Test
    void registrationClosedInsideItsOwnCallbackLeavesTheEpollSetAndThePollerIdle() throws Exception {
        EventFdPoller poller = startPoller("atk-selfclose");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicReference<PollerRegistration> self = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch registered = new CountDownLatch(1);
        self.set(poller.register(eventFd, (fd, count) -> {
            registered.await();
            calls.incrementAndGet();
            self.get().close();
            // a signal that arrives after the close: the counter stays non-zero, level-triggered
            fd.signal(7);
        }));
        registered.countDown();
        eventFd.signal();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1 && poller.registrationCount() == 0);
        assertThat(ProcFs.epollInterest(eventFd.descriptorNumber())).isEmpty();
        eventFd.signal(3);
        assertIdle("atk-selfclose");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(eventFd.pendingCount()).isEqualTo(10);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void eventFdClosedInsideItsOwnCallbackLeavesThePollerIdle() throws Exception {
        EventFdPoller poller = startPoller("atk-fdclose");
        EventFd victim = EventFd.create();
        EventFd other = closeLater(EventFd.create());
        AtomicInteger calls = new AtomicInteger();
        AtomicLong otherDelivered = new AtomicLong();
        poller.register(victim, (fd, count) -> {
            calls.incrementAndGet();
            fd.signal(9);
            fd.close();
        });
        poller.register(other, (fd, count) -> otherDelivered.addAndGet(count));
        victim.signal();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1 && poller.registrationCount() == 1);
        other.signal(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> otherDelivered.get() == 4);
        assertIdle("atk-fdclose");
        assertThat(victim.isClosed()).isTrue();
        assertThat(this.errors).isEmpty();
    }

    @Test
    void closeWithoutWaitingFromAnotherThreadDuringADeliveryThenMoreSignalsLeaveThePollerIdle() throws Exception {
        EventFdPoller poller = startPoller("atk-otherclose");
        EventFd eventFd = closeLater(EventFd.create());
        EventFd other = closeLater(EventFd.create());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicLong otherDelivered = new AtomicLong();
        PollerRegistration registration = poller.register(eventFd, (fd, count) -> {
            calls.incrementAndGet();
            entered.countDown();
            release.await();
        });
        poller.register(other, (fd, count) -> otherDelivered.addAndGet(count));
        eventFd.signal();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registration.close(Duration.ZERO)).isFalse();
        eventFd.signal(5);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> poller.registrationCount() == 1);
        assertThat(ProcFs.epollInterest(eventFd.descriptorNumber())).isEmpty();
        other.signal(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> otherDelivered.get() == 2);
        assertIdle("atk-otherclose");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(eventFd.pendingCount()).isEqualTo(5);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void interruptedCloseWithATimeoutDoesNotLeaveALevelTriggeredInterestBehind() throws Exception {
        EventFdPoller poller = startPoller("atk-interrupt");
        EventFd eventFd = closeLater(EventFd.create());
        PollerRegistration registration = poller.register(eventFd, (fd, count) -> { });
        Thread.currentThread().interrupt();
        boolean done;
        try {
            done = registration.close(Duration.ofSeconds(1));
        }
        finally {
            Thread.interrupted();
        }
        // done may be false: nobody holds the delivery lock; the registration is inactive but still armed
        eventFd.signal(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> poller.registrationCount() == 0);
        assertThat(ProcFs.epollInterest(eventFd.descriptorNumber())).isEmpty();
        assertIdle("atk-interrupt");
        assertThat(done || eventFd.pendingCount() == 3).isTrue();
        assertThat(this.errors).isEmpty();
    }

    @Test
    void blockingDescriptorRacedByAnotherReaderNeverHangsThePoller() throws Exception {
        EventFdPoller poller = startPoller("atk-blocking");
        EventFd eventFd = closeLater(EventFd.create());
        EventFd canary = closeLater(EventFd.create());
        int fd = eventFd.descriptorNumber();
        // what another process sharing the open file description may do: clear O_NONBLOCK (fcntl = 72 on x86-64)
        long fcntl = System.getProperty("os.arch").equals("aarch64") ? 25 : 72;
        long flags = NativeCalls.INSTANCE.syscall(fcntl, fd, Linux.F_GETFL, 0, 0, 0);
        assertThat(flags).isNotNegative();
        assertThat(NativeCalls.INSTANCE.syscall(fcntl, fd, Linux.F_SETFL, flags & ~Linux.O_NONBLOCK, 0, 0)).isZero();
        System.out.println("nowait reads: " + Posix.nowaitReads() + ", backend " + NativeCalls.INSTANCE.name());
        AtomicLong delivered = new AtomicLong();
        AtomicLong stolen = new AtomicLong();
        AtomicLong canaryDelivered = new AtomicLong();
        poller.register(eventFd, (handle, count) -> delivered.addAndGet(count));
        poller.register(canary, (handle, count) -> canaryDelivered.addAndGet(count));
        AtomicBoolean stop = new AtomicBoolean();
        Thread thief = new Thread(() -> {
            while (!stop.get()) {
                stolen.addAndGet(eventFd.tryRead());
            }
        }, "atk-thief");
        thief.start();
        int signals = 50_000;
        try {
            for (int i = 0; i < signals; i++) {
                eventFd.signal();
            }
            canary.signal();
            await().atMost(Duration.ofSeconds(10)).until(() -> canaryDelivered.get() == 1);
        }
        finally {
            stop.set(true);
            thief.join(10_000);
        }
        assertThat(thief.isAlive()).as("the thief hangs in a blocking read").isFalse();
        long left = eventFd.tryRead();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() + stolen.get() + left == signals);
        System.out.println("poller " + delivered.get() + ", thief " + stolen.get());
        assertIdle("atk-blocking");
        assertThat(poller.isRunning()).isTrue();
        assertThat(this.errors).isEmpty();
    }

    @Test
    void counterAtTheMaximumIsDeliveredOnceThenIdle() throws Exception {
        EventFdPoller poller = startPoller("atk-max");
        EventFd eventFd = closeLater(EventFd.create());
        List<Long> counts = new CopyOnWriteArrayList<>();
        CountDownLatch registered = new CountDownLatch(1);
        poller.register(eventFd, (fd, count) -> {
            registered.await();
            counts.add(count);
        });
        eventFd.signalUnsigned(EventFd.MAX_COUNT);
        registered.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> counts.size() == 1);
        assertThat(counts.get(0)).isEqualTo(EventFd.MAX_COUNT);
        assertIdle("atk-max");
        assertThat(counts).hasSize(1);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void eachInlineRegistrationGetsItsOwnCountFromTheSharedNativeBlock() throws Exception {
        EventFdPoller poller = startPoller("atk-block");
        EventFd gate = closeLater(EventFd.create());
        int n = 32;
        List<EventFd> eventFds = new ArrayList<>();
        Map<EventFd, List<Long>> received = new ConcurrentHashMap<>();
        AtomicReference<CountDownLatch> hold = new AtomicReference<>();
        CountDownLatch[] entered = { null };
        AtomicReference<CountDownLatch> enteredRef = new AtomicReference<>();
        poller.register(gate, (fd, count) -> {
            enteredRef.get().countDown();
            hold.get().await();
        });
        for (int i = 0; i < n; i++) {
            EventFd eventFd = closeLater(EventFd.create());
            eventFds.add(eventFd);
            received.put(eventFd, new CopyOnWriteArrayList<>());
            poller.register(eventFd, (fd, count) -> {
                received.get(fd).add(count);
                // reading another eventfd from the callback uses the thread's own block, not the poller's
                fd.tryRead();
            });
        }
        for (int round = 0; round < 20; round++) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch in = new CountDownLatch(1);
            hold.set(release);
            enteredRef.set(in);
            gate.signal();
            assertThat(in.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < n; i++) {
                eventFds.get(i).signal(round * 1_000L + i + 1);
            }
            release.countDown();
            int r = round;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> received.values().stream().allMatch(list -> list.size() == r + 1));
            for (int i = 0; i < n; i++) {
                assertThat(received.get(eventFds.get(i)).get(round)).isEqualTo(round * 1_000L + i + 1);
            }
        }
        assertIdle("atk-block");
        assertThat(entered[0]).isNull();
        assertThat(this.errors).isEmpty();
    }

    @Test
    void sameEventFdRegisteredTwiceWithOnePollerOrWithTwoPollersNeitherLeaksNorSpins() throws Exception {
        EventFdPoller poller = startPoller("atk-twice");
        EventFdPoller second = startPoller("atk-twice-2");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicLong delivered = new AtomicLong();
        poller.register(eventFd, (fd, count) -> delivered.addAndGet(count));
        long fdsBefore = ProcFs.openFdCount();
        try {
            poller.register(eventFd, (fd, count) -> delivered.addAndGet(1_000_000));
        }
        catch (RuntimeException ex) {
            System.out.println("second registration with one poller: " + ex);
        }
        assertThat(poller.registrationCount()).isEqualTo(1);
        // two pollers, level-triggered on one counter: both wake, one reads, the other reads 0 and calls nothing
        second.register(eventFd, (fd, count) -> delivered.addAndGet(count));
        for (int i = 1; i <= 200; i++) {
            eventFd.signal();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == 200);
        assertIdle("atk-twice");
        assertIdle("atk-twice-2");
        assertThat(ProcFs.openFdCount()).isEqualTo(fdsBefore);
        assertThat(delivered.get()).isEqualTo(200);
    }

    @Test
    void registerAndCloseWithoutWaitingFromOtherThreadsWhileSignalledLeaveNoInterestAndAnIdlePoller() throws Exception {
        EventFdPoller poller = startPoller("atk-churn");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicBoolean stop = new AtomicBoolean();
        Thread signaller = new Thread(() -> {
            while (!stop.get()) {
                eventFd.signal();
            }
        });
        signaller.start();
        AtomicLong delivered = new AtomicLong();
        try {
            for (int i = 0; i < 2_000; i++) {
                PollerRegistration registration = poller.register(eventFd, (fd, count) -> delivered.addAndGet(count));
                if ((i & 1) == 0) {
                    if (!registration.close(Duration.ZERO)) {
                        // still leaving (a delivery runs): registering the eventfd again now fails with EEXIST
                        await().atMost(Duration.ofSeconds(10)).until(() -> poller.registrationCount() == 0);
                    }
                }
                else {
                    registration.close();
                }
            }
        }
        finally {
            stop.set(true);
            signaller.join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> poller.registrationCount() == 0);
        assertThat(ProcFs.epollInterest(eventFd.descriptorNumber())).isEmpty();
        long pending = eventFd.pendingCount();
        eventFd.signal();
        assertIdle("atk-churn");
        assertThat(eventFd.pendingCount()).isEqualTo(pending + 1);
        System.out.println("delivered during churn: " + delivered.get());
        assertThat(this.errors).isEmpty();
    }

    @Test
    void semaphoreFloodWithOneEventPerWaitDoesNotStarveAnotherRegistration() throws Exception {
        EventFdPoller poller = closeLater(EventFdPoller.builder().threadName("atk-sem-one").maxEventsPerWait(1)
                .errorHandler((eventFd, error) -> this.errors.add(error)).start());
        floodBesideAnother(poller);
        assertIdle("atk-sem-one");
        assertThat(this.errors).isEmpty();
    }

    /**
     * A semaphore eventfd at the maximum count, each delivery taking 1, beside another registration that must
     * still get each of 20 signals; the flood's registration is closed at the end.
     * @return the flood's eventfd
     */
    private EventFd floodBesideAnother(EventFdPoller poller) throws Exception {
        EventFd flood = closeLater(EventFd.create(EventFdMode.SEMAPHORE));
        EventFd other = closeLater(EventFd.create());
        AtomicLong floodCalls = new AtomicLong();
        AtomicLong otherDelivered = new AtomicLong();
        PollerRegistration floodRegistration = poller.register(flood, (fd, count) -> floodCalls.incrementAndGet());
        poller.register(other, (fd, count) -> otherDelivered.addAndGet(count));
        flood.signalUnsigned(EventFd.MAX_COUNT);
        await().atMost(Duration.ofSeconds(10)).until(() -> floodCalls.get() > 10_000);
        for (int i = 1; i <= 20; i++) {
            other.signal();
            long expected = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> otherDelivered.get() == expected);
        }
        floodRegistration.close();
        return flood;
    }
}
