package io.github.eventfd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class EventFdTest {

    private static final long O_NONBLOCK = 04000;

    private static final long O_CLOEXEC = 02000000;

    @Test
    void whenCounterModeThenReadReturnsWholeCountAndResets() {
        try (EventFd eventFd = EventFd.create()) {
            eventFd.signal();
            eventFd.signal(4);
            assertThat(eventFd.read()).isEqualTo(5);
            assertThat(eventFd.tryRead()).isZero();
        }
    }

    @Test
    void whenSemaphoreModeThenEachReadReturnsOneAndDecrements() {
        try (EventFd eventFd = EventFd.create(EventFdMode.SEMAPHORE, 2)) {
            eventFd.signal();
            assertThat(eventFd.read()).isEqualTo(1);
            assertThat(eventFd.pendingCount()).isEqualTo(2);
            assertThat(eventFd.tryRead()).isEqualTo(1);
            assertThat(eventFd.read(Duration.ofSeconds(1))).isEqualTo(1);
            assertThat(eventFd.tryRead()).isZero();
        }
    }

    @Test
    void whenInitialValueAtItsLimitsThenCounterStartsThere() {
        try (EventFd zero = EventFd.create(EventFdMode.COUNTER, 0);
                EventFd max = EventFd.create(EventFdMode.COUNTER, EventFd.MAX_INITIAL_VALUE)) {
            assertThat(zero.pendingCount()).isZero();
            assertThat(max.pendingCount()).isEqualTo(4294967295L);
            assertThat(max.read()).isEqualTo(4294967295L);
        }
    }

    @Test
    void whenInitialValueOutOfRangeThenRejectedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventFd.create(EventFdMode.COUNTER, -1))
                .withMessage("'initialValue' must be between 0 and 4294967295 but was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> EventFd.create(EventFdMode.COUNTER, 4294967296L))
                .withMessage("'initialValue' must be between 0 and 4294967295 but was 4294967296");
    }

    @Test
    void whenSignalValueInvalidThenRejectedNamingIt() {
        try (EventFd eventFd = EventFd.create()) {
            assertThatIllegalArgumentException().isThrownBy(() -> eventFd.signal(0))
                    .withMessage("'n' must be between 1 and 9223372036854775807 but was 0");
            assertThatIllegalArgumentException().isThrownBy(() -> eventFd.signal(-5))
                    .withMessageEndingWith("but was -5");
            assertThatIllegalArgumentException().isThrownBy(() -> eventFd.signalUnsigned(0))
                    .withMessage("'n' must be between 1 and 18446744073709551614 (unsigned) but was 0");
            assertThatIllegalArgumentException().isThrownBy(() -> eventFd.signalUnsigned(-1L))
                    .withMessageEndingWith("but was 18446744073709551615");
            assertThat(eventFd.pendingCount()).isZero();
        }
    }

    @Test
    void whenCounterPassesLongMaxValueThenCountIsCarriedUnsigned() {
        try (EventFd eventFd = EventFd.create()) {
            eventFd.signal(Long.MAX_VALUE);
            eventFd.signal(Long.MAX_VALUE);
            assertThat(eventFd.pendingCount()).isEqualTo(EventFd.MAX_COUNT);
            assertThat(UnsignedCount.toString(eventFd.pendingCount())).isEqualTo("18446744073709551614");
            assertThat(UnsignedCount.compare(eventFd.pendingCount(), Long.MAX_VALUE)).isPositive();
            long read = eventFd.read();
            assertThat(UnsignedCount.toBigInteger(read)).hasToString("18446744073709551614");
        }
    }

    @Test
    void whenSignalUnsignedAboveLongMaxValueThenAdded() {
        try (EventFd eventFd = EventFd.create()) {
            long value = UnsignedCount.parse("10000000000000000000");
            eventFd.signalUnsigned(value);
            assertThat(UnsignedCount.toString(eventFd.tryRead())).isEqualTo("10000000000000000000");
        }
    }

    @Test
    void whenSignalWouldOverflowThenTypedExceptionAndCounterIntact() {
        try (EventFd eventFd = EventFd.create()) {
            eventFd.signalUnsigned(EventFd.MAX_COUNT - 1);
            eventFd.signal();
            assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(eventFd::signal)
                    .withMessageContaining("signal of 1")
                    .withMessageContaining("18446744073709551614")
                    .satisfies(ex -> assertThat(ex.attempted()).isEqualTo(1));
            assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> eventFd.signal(7));
            assertThat(eventFd.pendingCount()).isEqualTo(EventFd.MAX_COUNT);
            assertThat(eventFd.tryRead()).isEqualTo(EventFd.MAX_COUNT);
            eventFd.signal();
            assertThat(eventFd.tryRead()).isEqualTo(1);
        }
    }

    @Test
    void whenNothingSignalledThenTryReadReturnsZeroAndTimedReadTimesOut() {
        try (EventFd eventFd = EventFd.create()) {
            assertThat(eventFd.tryRead()).isZero();
            long start = System.nanoTime();
            assertThat(eventFd.read(Duration.ofMillis(60))).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(60));
            assertThat(eventFd.read(Duration.ZERO)).isZero();
        }
    }

    @Test
    void whenTimeoutNegativeThenRejected() {
        try (EventFd eventFd = EventFd.create()) {
            assertThatIllegalArgumentException().isThrownBy(() -> eventFd.read(Duration.ofMillis(-1)))
                    .withMessage("'timeout' must be zero or positive but was PT-0.001S");
        }
    }

    @Test
    void whenReadWaitsThenSignalFromAnotherThreadWakesIt() throws Exception {
        try (EventFd eventFd = EventFd.create()) {
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(eventFd::read);
            CompletableFuture<Long> timedReader = CompletableFuture.supplyAsync(() -> eventFd.read(Duration.ofMinutes(1)));
            await().until(() -> waitingReaders() == 2);
            eventFd.signal(3);
            await().until(() -> reader.isDone() || timedReader.isDone());
            eventFd.signal(4);
            long first = reader.get(10, TimeUnit.SECONDS);
            long second = timedReader.get(10, TimeUnit.SECONDS);
            assertThat(List.of(first, second)).containsExactlyInAnyOrder(3L, 4L);
        }
    }

    /** Threads now blocked in poll(2) inside a read: a native call shows as the top frame of the stack. */
    private static long waitingReaders() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> stack.length > 0 && stack[0].getMethodName().equals("poll")
                        && stack[0].getClassName().equals("io.github.eventfd.internal.LibC"))
                .count();
    }

    @Test
    void whenPendingCountThenNotConsumed() {
        try (EventFd eventFd = EventFd.create()) {
            eventFd.signal(42);
            assertThat(eventFd.pendingCount()).isEqualTo(42);
            assertThat(eventFd.pendingCount()).isEqualTo(42);
            assertThat(eventFd.tryRead()).isEqualTo(42);
            assertThat(eventFd.pendingCount()).isZero();
        }
    }

    @Test
    void whenCreatedThenDescriptorIsNonBlockingAndCloseOnExec() {
        try (EventFd eventFd = EventFd.create()) {
            int flags = ProcFs.fdInfoFlags(eventFd.descriptorNumber());
            assertThat(flags & O_NONBLOCK).isEqualTo(O_NONBLOCK);
            assertThat(flags & O_CLOEXEC).isEqualTo(O_CLOEXEC);
            assertThat(ProcFs.fdTarget(eventFd.descriptorNumber())).isEqualTo("anon_inode:[eventfd]");
        }
    }

    @Test
    void whenClosedTwiceThenSecondIsNoOpAndEveryOperationFails() {
        EventFd eventFd = EventFd.create();
        eventFd.close();
        eventFd.close();
        assertThat(eventFd.isClosed()).isTrue();
        assertThat(eventFd).hasToString("EventFd(fd=" + eventFd.descriptorNumber() + ", COUNTER, closed)");
        assertThatIllegalStateException().isThrownBy(eventFd::signal).withMessageContaining("is closed");
        assertThatIllegalStateException().isThrownBy(() -> eventFd.signal(2));
        assertThatIllegalStateException().isThrownBy(() -> eventFd.signalUnsigned(2));
        assertThatIllegalStateException().isThrownBy(eventFd::read);
        assertThatIllegalStateException().isThrownBy(() -> eventFd.read(Duration.ofSeconds(1)));
        assertThatIllegalStateException().isThrownBy(eventFd::tryRead);
        assertThatIllegalStateException().isThrownBy(eventFd::pendingCount);
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
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(eventFd::read);
        await().until(() -> waitingReaders() == 1);
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
    void whenManyThreadsSignalThenEveryCountArrives() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        try (EventFd eventFd = EventFd.create()) {
            AtomicLong received = new AtomicLong();
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread producer = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        eventFd.signal();
                    }
                });
                producers.add(producer);
                producer.start();
            }
            Thread consumer = new Thread(() -> {
                while (received.get() < (long) threads * perThread) {
                    received.addAndGet(eventFd.read(Duration.ofMillis(100)));
                }
            });
            consumer.start();
            for (Thread producer : producers) {
                producer.join();
            }
            consumer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(received.get()).isEqualTo((long) threads * perThread);
            assertThat(eventFd.tryRead()).isZero();
        }
    }
}
