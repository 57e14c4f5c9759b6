package io.github.eventfd.spring.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Slow consumers and many context lifecycles. */
@EnabledOnOs(OS.LINUX)
@ExtendWith(OutputCaptureExtension.class)
class EventFdReliabilityTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class));

    @Test
    void whenAListenerBlocksForeverThenOtherChannelsGoOnAndShutdownEndsWithinTheDrainTimeout(CapturedOutput output)
            throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Listeners listeners = new Listeners(stuck, release);
        try {
            long[] closeMillis = new long[1];
            this.contextRunner.withPropertyValues("eventfd.shutdown.drain-timeout=500ms")
                    .withBean(Listeners.class, () -> listeners).run(context -> {
                        EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                        registry.channel("stuck").signal();
                        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
                        registry.channel("stuck").signal(4);
                        for (int i = 0; i < 100; i++) {
                            registry.channel("healthy").signal();
                        }
                        await().until(() -> listeners.healthy.get() == 100);
                        long start = System.nanoTime();
                        context.close();
                        closeMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    });
            assertThat(closeMillis[0]).isLessThan(5_000);
            // the report names both what waits in the counter and the delivery its listener never finished
            assertThat(output).contains("eventfd channels not fully delivered within the drain timeout PT0.5S")
                    .contains("channel 'stuck': 4 pending in the counter, a delivery of 1 in flight in listener "
                            + "Listeners.onStuck, which had not returned after")
                    .doesNotContain("channel 'healthy'");
        }
        finally {
            release.countDown();
        }
    }

    /** One channel whose listener never returns until released, one that works. */
    static class Listeners {

        final AtomicLong healthy = new AtomicLong();

        private final CountDownLatch stuck;

        private final CountDownLatch release;

        Listeners(CountDownLatch stuck, CountDownLatch release) {
            this.stuck = stuck;
            this.release = release;
        }

        @EventFdListener("stuck")
        void onStuck() throws InterruptedException {
            this.stuck.countDown();
            this.release.await();
        }

        @EventFdListener("healthy")
        void onHealthy(long count) {
            this.healthy.addAndGet(count);
        }
    }

    @Test
    void whenContextsStartAndStopThousandsOfTimesThenDescriptorsAndThreadsReturnToTheStart() {
        long seconds = Long.getLong("cycles.seconds", 60);
        int maxCycles = 10_000;
        // at least this many whatever the machine's speed; then more until the time is up
        int minCycles = 100;
        long fdsBefore = EventFdResources.descriptors();
        Set<Thread> threadsBefore = EventFdResources.threads();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int cycles = 0;
        ApplicationContextRunner runner = this.contextRunner.withPropertyValues("eventfd.channels.a.mode=semaphore",
                "eventfd.channels.b.dispatch=inline");
        while (cycles < maxCycles && (cycles < minCycles || System.nanoTime() < deadline)) {
            runner.run(context -> {
                EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                registry.channel("a").signal();
                registry.channel("b").signal();
            });
            cycles++;
        }
        // a thread of the test before may still be ending when the cycles start: none of those they start may stay
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(threadsBefore).containsAll(EventFdResources.threads()));
        long fdsAfter = EventFdResources.descriptors();
        System.out.printf("context cycles: %d (at least %d, then until %d s); eventfd and epoll descriptors %d before, "
                + "%d after%n", cycles, minCycles, seconds, fdsBefore, fdsAfter);
        // the test before may still have closed one of its own meanwhile; a leak would be one per cycle
        assertThat(fdsAfter).isLessThanOrEqualTo(fdsBefore);
    }
}
