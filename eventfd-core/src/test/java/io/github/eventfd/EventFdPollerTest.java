package io.github.eventfd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class EventFdPollerTest {

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** What the poller logged at WARNING or above during the test, formatted. */
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private final Logger pollerLogger = Logger.getLogger(EventFdPoller.class.getName());

    private final Handler warningCollector = new Handler() {

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                EventFdPollerTest.this.warnings.add(new SimpleFormatter().formatMessage(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void collectWarnings() {
        this.pollerLogger.addHandler(this.warningCollector);
    }

    @AfterEach
    void closeResources() throws Exception {
        this.pollerLogger.removeHandler(this.warningCollector);
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

    @Test
    void whenManyThreadsSignalThenSumDeliveredEqualsSumSent() throws Exception {
        EventFdPoller poller = startPoller("efd-sum");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicLong delivered = new AtomicLong();
        AtomicLong wakeups = new AtomicLong();
        poller.register(eventFd, (fd, count) -> {
            delivered.addAndGet(count);
            wakeups.incrementAndGet();
        });
        int producers = 4;
        int perProducer = 250_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    eventFd.signal();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() == (long) producers * perProducer);
        assertThat(eventFd.pendingCount()).isZero();
        assertThat(wakeups.get()).isBetween(1L, (long) producers * perProducer);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenSignalledDuringCallbackThenSignalsCoalesceIntoNextCallback() throws Exception {
        EventFdPoller poller = startPoller("efd-coalesce");
        EventFd eventFd = closeLater(EventFd.create());
        BlockingQueue<Long> counts = new LinkedBlockingQueue<>();
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        poller.register(eventFd, (fd, count) -> {
            counts.add(count);
            firstEntered.countDown();
            release.await();
        });
        eventFd.signal();
        assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            eventFd.signal();
        }
        assertThat(eventFd.pendingCount()).isEqualTo(5);
        release.countDown();
        assertThat(counts.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(counts.poll(10, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void whenSemaphoreModeThenUnitsAreDeliveredOneByOne() throws Exception {
        EventFdPoller poller = startPoller("efd-semaphore");
        EventFd eventFd = closeLater(EventFd.create(EventFdMode.SEMAPHORE));
        BlockingQueue<Long> counts = new LinkedBlockingQueue<>();
        poller.register(eventFd, (fd, count) -> counts.add(count));
        eventFd.signal(3);
        for (int i = 0; i < 3; i++) {
            assertThat(counts.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(counts.poll(50, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void whenInlineThenTheInterestStaysArmedLevelTriggeredAndNoDeliveryReArmsIt() {
        EventFdPoller poller = startPoller("efd-level");
        EventFd eventFd = closeLater(EventFd.create());
        int fd = eventFd.descriptor().number();
        AtomicLong delivered = new AtomicLong();
        poller.register(eventFd, (handle, count) -> delivered.addAndGet(count));
        assertThat(ProcFs.epollInterest(fd)).contains(Linux.EPOLLIN);
        for (int i = 1; i <= 3; i++) {
            eventFd.signal();
            long expected = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == expected);
            // a one-shot interest shows as disarmed (only EPOLLONESHOT left) or re-armed (with it): never EPOLLIN alone
            assertThat(ProcFs.epollInterest(fd)).contains(Linux.EPOLLIN);
        }
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenExecutorDispatchThenTheInterestIsOneShotAndReArmedAfterEachCallback() {
        EventFdPoller poller = startPoller("efd-oneshot");
        EventFd eventFd = closeLater(EventFd.create());
        int fd = eventFd.descriptor().number();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        closeLater(executor::shutdownNow);
        AtomicLong delivered = new AtomicLong();
        poller.register(eventFd, (handle, count) -> delivered.addAndGet(count), executor);
        for (int i = 1; i <= 3; i++) {
            eventFd.signal();
            long expected = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == expected
                    && ProcFs.epollInterest(fd).equals(Optional.of(Linux.EPOLLIN | Linux.EPOLLONESHOT)));
        }
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenCallbackThrowsThenErrorHandlerGetsItAndDeliveryContinues() {
        EventFdPoller poller = startPoller("efd-throws");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicLong delivered = new AtomicLong();
        poller.register(eventFd, (fd, count) -> {
            if (delivered.addAndGet(count) == 1) {
                throw new IllegalStateException("listener failure");
            }
        });
        eventFd.signal();
        await().until(() -> this.errors.size() == 1);
        assertThat(this.errors.get(0)).hasMessage("listener failure");
        eventFd.signal(2);
        await().until(() -> delivered.get() == 3);
        assertThat(poller.isRunning()).isTrue();
    }

    @Test
    void whenExecutorDispatchThenCallbacksRunThereOneAtATime() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        closeLater(executor::shutdownNow);
        EventFdPoller poller = startPoller("efd-executor");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicLong delivered = new AtomicLong();
        List<String> threadNames = new CopyOnWriteArrayList<>();
        poller.register(eventFd, (fd, count) -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            threadNames.add(Thread.currentThread().getName());
            Thread.sleep(1);
            delivered.addAndGet(count);
            running.decrementAndGet();
        }, executor);
        for (int i = 0; i < 2_000; i++) {
            eventFd.signal();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() == 2_000);
        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(threadNames).allMatch(name -> name.startsWith("pool-")).isNotEmpty();
    }

    @Test
    void whenRegisteredInlineThenTheRegistrationHoldsNoNativeMemoryOfItsOwn() {
        EventFdPoller poller = startPoller("efd-inline-memory");
        AtomicLong delivered = new AtomicLong();
        // the registering thread's own block, and the poller thread's, exist from the first registration on
        EventFd first = closeLater(EventFd.create());
        poller.register(first, (fd, count) -> delivered.addAndGet(count));
        first.signal();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == 1);
        List<EventFd> channels = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            channels.add(closeLater(EventFd.create()));
        }
        long blocksBefore = Scratch.allocatedBlocks();
        for (EventFd channel : channels) {
            poller.register(channel, (fd, count) -> delivered.addAndGet(count));
        }
        channels.forEach(EventFd::signal);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == 101);
        assertThat(Scratch.allocatedBlocks()).isEqualTo(blocksBefore);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenEveryDeliveryRunsOnANewThreadThenNoneAllocatesNativeMemory() {
        EventFdPoller poller = startPoller("efd-fresh");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicLong delivered = new AtomicLong();
        // as virtual-thread dispatch does: a thread that never ran before for every delivery
        Executor threadPerDelivery = runnable -> new Thread(runnable, "efd-fresh-delivery").start();
        poller.register(eventFd, (fd, count) -> delivered.addAndGet(count), threadPerDelivery);
        long blocksBefore = Scratch.allocatedBlocks();
        for (int i = 1; i <= 50; i++) {
            eventFd.signal();
            long expected = i;
            await().until(() -> delivered.get() == expected);
        }
        assertThat(Scratch.allocatedBlocks()).isEqualTo(blocksBefore);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenExecutorRejectsThenDeliveredOnPollerThreadAndReported() {
        EventFdPoller poller = startPoller("efd-rejected");
        EventFd eventFd = closeLater(EventFd.create());
        List<String> threadNames = new CopyOnWriteArrayList<>();
        poller.register(eventFd, (fd, count) -> threadNames.add(Thread.currentThread().getName()), task -> {
            throw new RejectedExecutionException("full");
        });
        eventFd.signal();
        await().until(() -> threadNames.size() == 1);
        assertThat(threadNames).containsExactly("efd-rejected");
        assertThat(this.errors).singleElement().satisfies(error -> assertThat(error)
                .hasMessageContaining("executor rejected").hasRootCauseMessage("full"));
    }

    @Test
    void whenRegistrationClosedThenNoMoreDeliveryAndCountStays() throws Exception {
        EventFdPoller poller = startPoller("efd-unregister");
        EventFd eventFd = closeLater(EventFd.create());
        BlockingQueue<Long> counts = new LinkedBlockingQueue<>();
        PollerRegistration registration = poller.register(eventFd, (fd, count) -> counts.add(count));
        eventFd.signal();
        assertThat(counts.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
        registration.close();
        registration.close();
        assertThat(registration.isActive()).isFalse();
        assertThat(poller.registrationCount()).isZero();
        eventFd.signal(9);
        assertThat(counts.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertThat(eventFd.tryRead()).isEqualTo(9);
    }

    @Test
    void whenRegistrationClosedDuringSlowCallbackThenCloseWaitsForIt() throws Exception {
        EventFdPoller poller = startPoller("efd-wait");
        EventFd eventFd = closeLater(EventFd.create());
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        PollerRegistration registration = poller.register(eventFd, (fd, count) -> {
            entered.countDown();
            Thread.sleep(200);
            finished.incrementAndGet();
        });
        eventFd.signal();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        registration.close();
        assertThat(finished.get()).isEqualTo(1);
    }

    @Test
    void whenAHandleIsRegisteredTwiceThenRegisterNamesTheOpenRegistrationAndTheFailedOneHoldsNothing()
            throws Exception {
        EventFdPoller poller = startPoller("efd-twice");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicLong first = new AtomicLong();
        PollerRegistration registration = poller.register(eventFd, (fd, count) -> first.addAndGet(count));
        assertThatIllegalStateException().isThrownBy(() -> poller.register(eventFd, (fd, count) -> { }))
                .withMessageContaining("still registered").withMessageContaining("not closed yet");
        // the refused registration took nothing from the first, and leaves no close listener behind
        eventFd.signal(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.get() == 2);
        registration.close();
        AtomicLong second = new AtomicLong();
        closeLater(poller.register(eventFd, (fd, count) -> second.addAndGet(count)));
        eventFd.signal(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.get() == 3);
        assertThat(first.get()).isEqualTo(2);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenAHandleIsRegisteredAgainWhileItsClosedRegistrationsCallbackRunsThenRegisterSaysSoAndLaterWorks()
            throws Exception {
        EventFdPoller poller = startPoller("efd-again");
        EventFd eventFd = closeLater(EventFd.create());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PollerRegistration first = poller.register(eventFd, (fd, count) -> {
            entered.countDown();
            release.await();
        });
        eventFd.signal();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.close(Duration.ZERO)).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> poller.register(eventFd, (fd, count) -> { }))
                .withMessageContaining("still registered").withMessageContaining("callback returns");
        release.countDown();
        AtomicLong delivered = new AtomicLong();
        // the first registration leaves when its callback returns; then the handle registers as any other
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> closeLater(poller.register(eventFd, (fd, count) -> delivered.addAndGet(count))) != null);
        eventFd.signal(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == 3);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenCallbackClosesItsOwnRegistrationThenItFinishesAndNothingFollows() throws Exception {
        EventFdPoller poller = startPoller("efd-self-close");
        EventFd eventFd = closeLater(EventFd.create());
        AtomicInteger calls = new AtomicInteger();
        PollerRegistration[] self = new PollerRegistration[1];
        self[0] = poller.register(eventFd, (fd, count) -> {
            calls.incrementAndGet();
            self[0].close();
        });
        eventFd.signal();
        await().until(() -> !self[0].isActive());
        eventFd.signal();
        Thread.sleep(50);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenEventFdClosedWhileRegisteredThenRegistrationEndsAndDescriptorIsReleased() {
        long before = ProcFs.openFdCount();
        EventFdPoller poller = startPoller("efd-closed-fd");
        EventFd eventFd = EventFd.create();
        PollerRegistration registration = poller.register(eventFd, (fd, count) -> { });
        eventFd.close();
        assertThat(registration.isActive()).isFalse();
        assertThat(poller.registrationCount()).isZero();
        poller.close();
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }

    @Test
    void whenEventFdIsClosedWhileItsCallbackIsStuckThenCloseReturnsAndTheDescriptorGoesWhenTheCallbackEnds()
            throws Exception {
        long before = ProcFs.openFdCount();
        EventFdPoller poller = startPoller("efd-stuck");
        EventFd eventFd = EventFd.create();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        poller.register(eventFd, (fd, count) -> {
            entered.countDown();
            release.await();
        });
        eventFd.signal();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        eventFd.close();
        assertThat(eventFd.isClosed()).isTrue();
        assertThatIllegalStateException().isThrownBy(eventFd::signal);
        release.countDown();
        poller.close();
        await().until(() -> ProcFs.openFdCount() == before);
    }

    @Test
    void whenRegisteringClosedEventFdOrOnClosedPollerThenRejected() {
        EventFdPoller poller = startPoller("efd-rejects");
        EventFd closed = EventFd.create();
        closed.close();
        assertThatIllegalStateException().isThrownBy(() -> poller.register(closed, (fd, count) -> { }))
                .withMessageContaining("is closed");
        poller.close();
        EventFd open = closeLater(EventFd.create());
        assertThatIllegalStateException().isThrownBy(() -> poller.register(open, (fd, count) -> { }));
    }

    @Test
    void whenClosedThenThreadEndsPromptlyAndEveryDescriptorIsReleased() {
        long before = ProcFs.openFdCount();
        for (int i = 0; i < 200; i++) {
            try (EventFdPoller poller = EventFdPoller.builder().threadName("efd-cycle").start();
                    EventFd eventFd = EventFd.create()) {
                poller.register(eventFd, (fd, count) -> { });
                eventFd.signal();
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().equals("efd-cycle"));
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }

    @Test
    void whenCloseCalledTwiceOrFromCallbackThenAllowed() {
        EventFdPoller poller = startPoller("efd-close-inside");
        EventFd eventFd = closeLater(EventFd.create());
        poller.register(eventFd, (fd, count) -> poller.close());
        eventFd.signal();
        await().until(() -> !poller.isRunning());
        poller.close();
        assertThat(poller.failure()).isNull();
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenExecutorCallbackClosesThePollerThenCloseReturnsPromptlyWithoutWarning() throws Exception {
        long before = ProcFs.openFdCount();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        closeLater(executor::shutdownNow);
        for (int round = 0; round < 20; round++) {
            // a close timeout far beyond the bounds asserted below: the close must not wait for it at all
            EventFdPoller poller = EventFdPoller.builder().threadName("efd-close-from-executor")
                    .closeTimeout(Duration.ofMinutes(2)).errorHandler((eventFd, error) -> this.errors.add(error)).start();
            EventFd eventFd = EventFd.create();
            CountDownLatch closed = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            PollerRegistration registration = poller.register(eventFd, (fd, count) -> {
                calls.incrementAndGet();
                poller.close();
                closed.countDown();
            }, executor);
            eventFd.signal();
            assertThat(closed.await(20, TimeUnit.SECONDS)).as("close() from an executor callback returned").isTrue();
            assertThat(poller.isRunning()).isFalse();
            assertThat(registration.isActive()).isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.getName().equals("efd-close-from-executor")));
            assertThat(poller.registrationCount()).isZero();
            eventFd.signal();
            eventFd.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcFs.openFdCount() == before);
            assertThat(calls.get()).isEqualTo(1);
        }
        assertThat(this.warnings).isEmpty();
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenInlineCallbackNeverReturnsThenCloseEndsWithinTheCloseTimeoutReportsItAndTheDescriptorsGoLater()
            throws Exception {
        long before = ProcFs.openFdCount();
        EventFdPoller poller = closeLater(EventFdPoller.builder().threadName("efd-stuck-inline")
                .closeTimeout(Duration.ofMillis(100)).errorHandler((eventFd, error) -> this.errors.add(error)).start());
        EventFd stuckFd = EventFd.create();
        EventFd idleFd = EventFd.create();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PollerRegistration stuck = poller.register(stuckFd, (fd, count) -> {
            entered.countDown();
            release.await();
        });
        PollerRegistration idle = poller.register(idleFd, (fd, count) -> { });
        stuckFd.signal();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        String stuckName = stuckFd.toString();
        try {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(poller::close);
            // the close timeout is 100 ms; this bound only says that the close ends at all
            closing.get(20, TimeUnit.SECONDS);
            assertThat(poller.isRunning()).isFalse();
            assertThat(stuck.isActive()).isFalse();
            assertThat(idle.isActive()).isFalse();
            assertThat(this.warnings).singleElement().asString().contains(stuckName)
                    .contains("eventfd is released when the callback returns");
        }
        finally {
            release.countDown();
        }
        stuckFd.close();
        idleFd.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("efd-stuck-inline")));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcFs.openFdCount() == before);
        assertThat(poller.registrationCount()).isZero();
        assertThat(this.warnings).hasSize(1);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenSeveralExecutorCallbacksNeverReturnThenTheCloseTimeoutBoundsTheCloseInAll() throws Exception {
        int stuckCount = 4;
        ExecutorService executor = Executors.newFixedThreadPool(stuckCount);
        CountDownLatch release = new CountDownLatch(1);
        closeLater(executor::shutdownNow);
        closeLater(release::countDown);
        Duration closeTimeout = Duration.ofSeconds(2);
        EventFdPoller poller = closeLater(EventFdPoller.builder().threadName("efd-stuck-executor")
                .closeTimeout(closeTimeout).errorHandler((eventFd, error) -> this.errors.add(error)).start());
        CountDownLatch entered = new CountDownLatch(stuckCount);
        List<EventFd> eventFds = new ArrayList<>();
        for (int i = 0; i < stuckCount; i++) {
            EventFd eventFd = closeLater(EventFd.create());
            eventFds.add(eventFd);
            poller.register(eventFd, (fd, count) -> {
                entered.countDown();
                release.await();
            }, executor);
            eventFd.signal();
        }
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        poller.close();
        // waiting the timeout for each callback in turn would take four times as long
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(closeTimeout.multipliedBy(stuckCount - 1));
        assertThat(this.warnings).hasSize(stuckCount)
                .allSatisfy(warning -> assertThat(warning).contains("eventfd is released when the callback returns"));
        for (EventFd eventFd : eventFds) {
            assertThat(this.warnings).anySatisfy(warning -> assertThat(warning).contains(eventFd.toString()));
        }
        long before = ProcFs.openFdCount();
        release.countDown();
        eventFds.forEach(EventFd::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcFs.openFdCount() == before - stuckCount);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenIdleThenPollerThreadNeverWakesUp() throws Exception {
        EventFdPoller poller = startPoller("efd-idle");
        EventFd eventFd = closeLater(EventFd.create());
        poller.register(eventFd, (fd, count) -> { });
        eventFd.signal();
        // the kernel learns the thread's name once the thread has started running
        Path task = await().until(() -> ProcFs.task("efd-idle"), Optional::isPresent).orElseThrow();
        await().until(() -> eventFd.pendingCount() == 0);
        // back in epoll_wait after the delivery, however late the scheduler lets it get there
        await().until(() -> ProcFs.sleepsInEpollWait(task));
        long before = ProcFs.contextSwitches(task);
        Thread.sleep(500);
        assertThat(ProcFs.contextSwitches(task)).isEqualTo(before);
    }

    @Test
    void whenBuilderGetsBadValuesThenRejectedNamingThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventFdPoller.builder().maxEventsPerWait(0))
                .withMessage("'maxEventsPerWait' must be between 1 and 4096 but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> EventFdPoller.builder().threadName(" "))
                .withMessage("'threadName' must not be blank but was ' '");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EventFdPoller.builder().closeTimeout(Duration.ofSeconds(-1)))
                .withMessage("'closeTimeout' must be zero or positive but was PT-1S");
    }
}
