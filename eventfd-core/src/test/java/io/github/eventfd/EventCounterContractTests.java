package io.github.eventfd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The eventfd counter contract, run against every {@link EventCounter} implementation.
 */
public abstract class EventCounterContractTests {

    /** A thread per blocked reader: the common pool may have a single thread on a small machine. */
    static final Executor READERS = runnable -> {
        Thread reader = new Thread(runnable, "contract-reader");
        reader.setDaemon(true);
        reader.start();
    };

    protected abstract EventCounter create(EventFdMode mode, long initialValue);

    /** How many threads are blocked inside a read now. */
    protected abstract long blockedReaders();

    @Test
    void whenCounterModeThenReadReturnsWholeCountAndResets() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            counter.signal();
            counter.signal(4);
            assertThat(counter.read()).isEqualTo(5);
            assertThat(counter.tryRead()).isZero();
        }
    }

    @Test
    void whenSemaphoreModeThenEachReadReturnsOneAndDecrements() {
        try (EventCounter counter = create(EventFdMode.SEMAPHORE, 2)) {
            counter.signal();
            assertThat(counter.read()).isEqualTo(1);
            assertThat(counter.pendingCount()).isEqualTo(2);
            assertThat(counter.tryRead()).isEqualTo(1);
            assertThat(counter.read(Duration.ofSeconds(1))).isEqualTo(1);
            assertThat(counter.tryRead()).isZero();
        }
    }

    @Test
    void whenInitialValueAtItsLimitsThenCounterStartsThere() {
        try (EventCounter zero = create(EventFdMode.COUNTER, 0);
                EventCounter max = create(EventFdMode.COUNTER, EventFd.MAX_INITIAL_VALUE)) {
            assertThat(zero.pendingCount()).isZero();
            assertThat(max.pendingCount()).isEqualTo(4294967295L);
            assertThat(max.read()).isEqualTo(4294967295L);
        }
    }

    @Test
    void whenInitialValueOutOfRangeThenRejectedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> create(EventFdMode.COUNTER, -1))
                .withMessage("'initialValue' must be between 0 and 4294967295 but was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> create(EventFdMode.COUNTER, 4294967296L))
                .withMessage("'initialValue' must be between 0 and 4294967295 but was 4294967296");
    }

    @Test
    void whenSignalValueInvalidThenRejectedNamingIt() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            assertThatIllegalArgumentException().isThrownBy(() -> counter.signal(0))
                    .withMessage("'n' must be between 1 and 9223372036854775807 but was 0");
            assertThatIllegalArgumentException().isThrownBy(() -> counter.signal(-5))
                    .withMessageEndingWith("but was -5");
            assertThatIllegalArgumentException().isThrownBy(() -> counter.signalUnsigned(0))
                    .withMessage("'n' must be between 1 and 18446744073709551614 (unsigned) but was 0");
            assertThatIllegalArgumentException().isThrownBy(() -> counter.signalUnsigned(-1L))
                    .withMessageEndingWith("but was 18446744073709551615");
            assertThat(counter.pendingCount()).isZero();
        }
    }

    @Test
    void whenCounterPassesLongMaxValueThenCountIsCarriedUnsigned() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            counter.signal(Long.MAX_VALUE);
            counter.signal(Long.MAX_VALUE);
            assertThat(counter.pendingCount()).isEqualTo(EventFd.MAX_COUNT);
            assertThat(UnsignedCount.toString(counter.pendingCount())).isEqualTo("18446744073709551614");
            assertThat(UnsignedCount.compare(counter.pendingCount(), Long.MAX_VALUE)).isPositive();
            long read = counter.read();
            assertThat(UnsignedCount.toBigInteger(read)).hasToString("18446744073709551614");
        }
    }

    @Test
    void whenSignalUnsignedAboveLongMaxValueThenAdded() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            long value = UnsignedCount.parse("10000000000000000000");
            counter.signalUnsigned(value);
            assertThat(UnsignedCount.toString(counter.tryRead())).isEqualTo("10000000000000000000");
        }
    }

    @Test
    void whenSignalWouldOverflowThenTypedExceptionAndCounterIntact() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            counter.signalUnsigned(EventFd.MAX_COUNT - 1);
            counter.signal();
            assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(counter::signal)
                    .withMessageContaining("signal of 1")
                    .withMessageContaining("18446744073709551614")
                    .satisfies(ex -> assertThat(ex.attempted()).isEqualTo(1));
            assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> counter.signal(7));
            assertThat(counter.pendingCount()).isEqualTo(EventFd.MAX_COUNT);
            assertThat(counter.tryRead()).isEqualTo(EventFd.MAX_COUNT);
            counter.signal();
            assertThat(counter.tryRead()).isEqualTo(1);
        }
    }

    @Test
    void whenNothingSignalledThenTryReadReturnsZeroAndTimedReadTimesOut() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            assertThat(counter.tryRead()).isZero();
            long start = System.nanoTime();
            assertThat(counter.read(Duration.ofMillis(60))).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(60));
            assertThat(counter.read(Duration.ZERO)).isZero();
        }
    }

    @Test
    void whenTimeoutNegativeThenRejected() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            assertThatIllegalArgumentException().isThrownBy(() -> counter.read(Duration.ofMillis(-1)))
                    .withMessage("'timeout' must be zero or positive but was PT-0.001S");
        }
    }

    @Test
    void whenReadWaitsThenSignalFromAnotherThreadWakesIt() throws Exception {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(counter::read, READERS);
            CompletableFuture<Long> timedReader = CompletableFuture.supplyAsync(() -> counter.read(Duration.ofMinutes(1)), READERS);
            await().until(() -> blockedReaders() == 2);
            counter.signal(3);
            await().until(() -> reader.isDone() || timedReader.isDone());
            counter.signal(4);
            long first = reader.get(10, TimeUnit.SECONDS);
            long second = timedReader.get(10, TimeUnit.SECONDS);
            assertThat(List.of(first, second)).containsExactlyInAnyOrder(3L, 4L);
        }
    }

    @Test
    void whenPendingCountThenNotConsumed() {
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            counter.signal(42);
            assertThat(counter.pendingCount()).isEqualTo(42);
            assertThat(counter.pendingCount()).isEqualTo(42);
            assertThat(counter.tryRead()).isEqualTo(42);
            assertThat(counter.pendingCount()).isZero();
        }
    }

    @Test
    void whenManyThreadsSignalThenEveryCountArrives() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        try (EventCounter counter = create(EventFdMode.COUNTER, 0)) {
            AtomicLong received = new AtomicLong();
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread producer = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        counter.signal();
                    }
                });
                producers.add(producer);
                producer.start();
            }
            Thread consumer = new Thread(() -> {
                while (received.get() < (long) threads * perThread) {
                    received.addAndGet(counter.read(Duration.ofMillis(100)));
                }
            });
            consumer.start();
            for (Thread producer : producers) {
                producer.join();
            }
            consumer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(received.get()).isEqualTo((long) threads * perThread);
            assertThat(counter.tryRead()).isZero();
        }
    }

    @Test
    void whenClosedTwiceThenSecondIsNoOpAndEveryOperationFails() {
        EventCounter counter = create(EventFdMode.COUNTER, 1);
        counter.close();
        counter.close();
        assertThat(counter.isClosed()).isTrue();
        assertThat(counter.toString()).endsWith("closed)");
        assertThatIllegalStateException().isThrownBy(counter::signal).withMessageContaining("is closed");
        assertThatIllegalStateException().isThrownBy(() -> counter.signal(2));
        assertThatIllegalStateException().isThrownBy(() -> counter.signalUnsigned(2));
        assertThatIllegalStateException().isThrownBy(counter::read);
        assertThatIllegalStateException().isThrownBy(() -> counter.read(Duration.ofSeconds(1)));
        assertThatIllegalStateException().isThrownBy(counter::tryRead);
        assertThatIllegalStateException().isThrownBy(counter::pendingCount);
    }

    @Test
    void whenClosedWhileReadWaitsThenReaderFails() {
        EventCounter counter = create(EventFdMode.COUNTER, 0);
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(counter::read, READERS);
        await().until(() -> blockedReaders() == 1);
        counter.close();
        assertThat(reader).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("was closed while a read was waiting");
    }
}
