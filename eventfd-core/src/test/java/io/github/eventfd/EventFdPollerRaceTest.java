package io.github.eventfd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Races between the poller's own work (re-arming after a delivery, shutting down) and the calls that end it
 * (closing a registration, an eventfd or the poller, registering meanwhile), many rounds each, bounded in time.
 * Invariants: a registration that reports closed is released and never left in the epoll set; a register that
 * returns is either delivered or left by the close it raced; no descriptor outlives its owners.
 */
@EnabledOnOs(OS.LINUX)
class EventFdPollerRaceTest {

    private static final Duration BUDGET = Duration.ofSeconds(15);

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private final long seed = Long.getLong("race.seed", System.nanoTime());

    @Test
    void whenARegistrationIsClosedAsItsDeliveryEndsThenItIsReleasedAndNeverLeftInTheEpollSet() throws Exception {
        Random random = new Random(this.seed);
        long before = ProcFs.openFdCount();
        long interestsBefore = epollInterests();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        EventFdPoller poller = EventFdPoller.builder().threadName("efd-race-rearm")
                .errorHandler((eventFd, error) -> this.errors.add(error)).start();
        long end = System.nanoTime() + BUDGET.toNanos();
        int rounds = 0;
        try {
            long interests = epollInterests();
            // at least 101 rounds whatever the machine's speed; then more until the budget is spent
            for (; rounds < 3_000 && (rounds <= 100 || System.nanoTime() < end); rounds++) {
                EventFd eventFd = EventFd.create();
                AtomicInteger delivered = new AtomicInteger();
                SignalCallback callback = (fd, count) -> delivered.incrementAndGet();
                PollerRegistration registration = random.nextBoolean() ? poller.register(eventFd, callback)
                        : poller.register(eventFd, callback, executor);
                eventFd.signal();
                // close just as the delivery ends and the registration is re-armed
                spinUntil(() -> delivered.get() == 1);
                for (int spin = random.nextInt(200); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                if (random.nextBoolean()) {
                    registration.close(Duration.ZERO);
                }
                else {
                    // a closed eventfd leaves its registrations without waiting
                    eventFd.close();
                }
                assertThat(registration.isActive()).isFalse();
                int round = rounds;
                await().alias(String.format("round %d (replay with -Drace.seed=%d): %s released", round, this.seed,
                        registration))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> poller.registrationCount() == 0);
                assertThat(epollInterests()).as("round %d (replay with -Drace.seed=%d): interests in the epoll set",
                        round, this.seed).isEqualTo(interests);
                eventFd.close();
            }
        }
        finally {
            poller.close();
            executor.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcFs.openFdCount() == before);
        assertThat(epollInterests()).isEqualTo(interestsBefore);
        assertThat(this.errors).isEmpty();
    }

    @Test
    void whenRegisterRacesThePollersCloseThenItFailsOrIsLeftByTheClose() throws Exception {
        Random random = new Random(this.seed);
        long before = ProcFs.openFdCount();
        long interestsBefore = epollInterests();
        long end = System.nanoTime() + BUDGET.toNanos();
        int rounds = 0;
        int registeredInAll = 0;
        // at least 21 rounds whatever the machine's speed; then more until the budget is spent
        for (; rounds < 400 && (rounds <= 20 || System.nanoTime() < end); rounds++) {
            EventFdPoller poller = EventFdPoller.builder().threadName("efd-race-close")
                    .errorHandler((eventFd, error) -> this.errors.add(error)).start();
            // closed from an inline callback, the poller thread shuts down at once: the narrowest race
            boolean fromCallback = random.nextBoolean();
            EventFd closer = EventFd.create();
            if (fromCallback) {
                poller.register(closer, (fd, count) -> poller.close());
            }
            List<EventFd> eventFds = new CopyOnWriteArrayList<>();
            List<PollerRegistration> registered = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            CountDownLatch started = new CountDownLatch(1);
            Thread registering = new Thread(() -> {
                started.countDown();
                for (int i = 0; i < 5_000; i++) {
                    EventFd eventFd = EventFd.create();
                    eventFds.add(eventFd);
                    try {
                        registered.add(poller.register(eventFd, (fd, count) -> { }));
                    }
                    catch (IllegalStateException ex) {
                        return;
                    }
                    catch (Throwable ex) {
                        failures.add(ex);
                        return;
                    }
                }
            }, "efd-race-register");
            registering.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            int head = random.nextInt(20);
            spinUntil(() -> registered.size() >= head || !registering.isAlive());
            if (fromCallback) {
                closer.signal();
            }
            else {
                poller.close();
            }
            registering.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(registering.isAlive()).as("registering ends once the poller is closed").isFalse();
            poller.close();
            assertThat(failures).isEmpty();
            int round = rounds;
            assertThat(registered).as("round %d (replay with -Drace.seed=%d): registrations left active by close",
                    round, this.seed).noneMatch(PollerRegistration::isActive);
            assertThat(poller.registrationCount()).isZero();
            registeredInAll += registered.size();
            eventFds.forEach(EventFd::close);
            closer.close();
            assertThat(ProcFs.openFdCount()).as("round %d (replay with -Drace.seed=%d): open eventfd and epoll"
                    + " descriptors", round, this.seed).isEqualTo(before);
        }
        assertThat(registeredInAll).isPositive();
        assertThat(epollInterests()).isEqualTo(interestsBefore);
        assertThat(this.errors).isEmpty();
    }

    /** Spin on this thread, to act within a microsecond of the condition; 10 seconds at most. */
    private static void spinUntil(BooleanSupplier condition) {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("spun 10 s for a condition").isLessThan(limit);
            Thread.onSpinWait();
        }
    }

    /** How many descriptors the epoll instances of this process watch ({@code tfd:} lines of their fdinfo). */
    private static long epollInterests() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> Integer.parseInt(fd.getFileName().toString()))
                    .filter(fd -> ProcFs.fdTarget(fd).equals("anon_inode:[eventpoll]"))
                    .mapToLong(EventFdPollerRaceTest::interests).sum();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static long interests(int epfd) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/fdinfo/" + epfd))) {
            return lines.filter(line -> line.startsWith("tfd:")).count();
        }
        catch (IOException ex) {
            // closed meanwhile
            return 0;
        }
    }
}
