package io.github.eventfd;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.internal.FdInfo;
import io.github.eventfd.internal.NativeCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@EnabledOnOs(OS.LINUX)
class EventFdTest extends EventCounterContractTests {

    private static final long O_NONBLOCK = 04000;

    private static final long O_CLOEXEC = 02000000;

    @Override
    protected EventCounter create(EventFdMode mode, long initialValue) {
        return EventFd.create(mode, initialValue);
    }

    /** Threads now blocked in poll(2) inside a read, whichever native backend makes the call. */
    @Override
    protected long blockedReaders() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("pollIn")
                        && frame.getClassName().equals("io.github.eventfd.internal.Posix")))
                .count();
    }

    @Test
    void whenSignalledAndReadThenTheBackendInUseAllocatesNothing() {
        // the build runs this class on each backend (JNI by default, JNA, and FFM on the JDK 22+)
        try (EventFd eventFd = EventFd.create()) {
            int signals = 100_000;
            long allocated = SteadyAllocation.leastBytes(() -> {
                for (int i = 0; i < signals; i++) {
                    eventFd.signal();
                    eventFd.signal(3);
                    eventFd.tryRead();
                }
            }, signals / 10);
            assertThat(allocated).as("bytes allocated by %d rounds of signal, signal(3), tryRead on %s", signals,
                    NativeCalls.INSTANCE.name()).isLessThan(signals / 10);
        }
    }

    @Test
    void whenCreatedThenDescriptorIsNonBlockingAndCloseOnExec() {
        try (EventFd eventFd = EventFd.create()) {
            int flags = FdInfo.of(eventFd.descriptorNumber()).flags();
            assertThat(flags & O_NONBLOCK).isEqualTo(O_NONBLOCK);
            assertThat(flags & O_CLOEXEC).isEqualTo(O_CLOEXEC);
            assertThat(ProcFs.fdTarget(eventFd.descriptorNumber())).isEqualTo("anon_inode:[eventfd]");
        }
    }

    @Test
    void whenClosedThenToStringShowsDescriptorAndState() {
        EventFd eventFd = EventFd.create();
        int number = eventFd.descriptorNumber();
        assertThat(eventFd).hasToString("EventFd(fd=" + number + ", COUNTER)");
        eventFd.close();
        assertThat(eventFd).hasToString("EventFd(fd=" + number + ", COUNTER, closed)");
    }

    @Test
    void whenClosedThenItsNumberReusedByAnotherFileIsNeverTouched() {
        EventFd stale = EventFd.create();
        int number = stale.descriptorNumber();
        stale.close();
        try (EventFd reuser = EventFd.create()) {
            assertThat(reuser.descriptorNumber()).isEqualTo(number);
            assertThatIllegalStateException().isThrownBy(stale::signal);
            assertThatIllegalStateException().isThrownBy(stale::tryRead);
            assertThat(reuser.pendingCount()).isZero();
        }
    }

    @Test
    void whenClosedWhileReadWaitsThenReaderFailsAndDescriptorIsReleased() throws Exception {
        long before = ProcFs.openFdCount();
        EventFd eventFd = EventFd.create();
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(eventFd::read, READERS);
        await().until(() -> blockedReaders() == 1);
        eventFd.close();
        assertThat(reader).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("was closed while a read was waiting");
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }

    @Test
    void whenOpenedAndClosedTenThousandTimesThenNoDescriptorLeaks() {
        long before = ProcFs.openFdCount();
        for (int i = 0; i < 10_000; i++) {
            EventFd eventFd = EventFd.create(EventFdMode.SEMAPHORE, i);
            eventFd.signal();
            eventFd.tryRead();
            if (i % 100 == 0) {
                eventFd.read(Duration.ofMillis(0));
            }
            eventFd.close();
        }
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }

    @Test
    void whenAVirtualThreadReadWaitsThenItIsParkedNotInPollAndCloseWakesIt() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        try (EventFd warmUp = EventFd.create()) {
            // the shared waiter is created by the first parked read and kept: count descriptors after it
            CompletableFuture<Long> first = CompletableFuture.supplyAsync(warmUp::read, VIRTUAL);
            await().until(() -> parkedReaders() == 1);
            warmUp.signal();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        long before = ProcFs.openFdCount();
        EventFd eventFd = EventFd.create();
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(eventFd::read, VIRTUAL);
        CompletableFuture<Long> timedReader = CompletableFuture.supplyAsync(() -> eventFd.read(Duration.ofMinutes(1)),
                VIRTUAL);
        await().until(() -> parkedReaders() == 2);
        assertThat(blockedReaders()).isZero();
        eventFd.close();
        for (CompletableFuture<Long> read : List.of(reader, timedReader)) {
            assertThat(read).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                    .havingRootCause().isInstanceOf(IllegalStateException.class)
                    .withMessageContaining("was closed while a read was waiting");
        }
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }

    @Test
    void whenAParkedReadIsInterruptedThenItGoesOnWaitingAndTheInterruptIsKept() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        try (EventFd eventFd = EventFd.create()) {
            AtomicBoolean interruptKept = new AtomicBoolean();
            AtomicReference<Thread> readerThread = new AtomicReference<>();
            // a timeout no busy machine reaches: the interrupt below always finds the read waiting, however late
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                readerThread.set(Thread.currentThread());
                long count = eventFd.read(Duration.ofMinutes(1));
                interruptKept.set(Thread.currentThread().isInterrupted());
                return count;
            }, VIRTUAL);
            await().until(() -> parkedReaders() == 1);
            readerThread.get().interrupt();
            // unparked by the interrupt, the read parks again instead of returning
            await("the interrupted read goes on waiting").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                    .until(() -> !reader.isDone());
            eventFd.signal(2);
            assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(interruptKept).isTrue();
        }
    }

    /** The virtual threads this test class started: Thread.getAllStackTraces() does not list them. */
    private static final List<Thread> virtualThreads = new CopyOnWriteArrayList<>();

    /** A new virtual thread per task on JDK 21+ (the tests compile for Java 17). */
    private static final Executor VIRTUAL = runnable -> {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            virtualThreads.add((Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                    .invoke(builder, runnable));
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    };

    /** Live virtual threads parked in a read of an EventFd (not in poll(2)). */
    private static long parkedReaders() {
        return virtualThreads.stream().filter(Thread::isAlive)
                .filter(thread -> thread.getState() == Thread.State.WAITING
                        || thread.getState() == Thread.State.TIMED_WAITING)
                .filter(thread -> Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
                        frame.getMethodName().equals("awaitParked") && frame.getClassName().equals(EventFd.class.getName())))
                .count();
    }
}
