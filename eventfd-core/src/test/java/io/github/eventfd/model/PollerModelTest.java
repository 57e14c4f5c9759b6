package io.github.eventfd.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.PollerRegistration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random register, signal, unregister and stop from several threads against one poller. Invariants:
 * for every eventfd, delivered plus pending at the end equals signalled; no callback runs after the
 * unregister that ended it returned; no callback runs concurrently with itself.
 */
@EnabledOnOs(OS.LINUX)
class PollerModelTest {

    private static final int ROUNDS = 60;

    private static final int CHANNELS = 4;

    private static final int THREADS = 3;

    private static final int STEPS_PER_THREAD = 400;

    /** One eventfd and what happened to it. */
    private static final class Channel {

        final EventFd eventFd;

        final AtomicLong signalled = new AtomicLong();

        final AtomicLong delivered = new AtomicLong();

        final AtomicInteger running = new AtomicInteger();

        PollerRegistration registration;

        AtomicBoolean unregistered;

        Channel(EventFdMode mode) {
            this.eventFd = EventFd.create(mode);
        }
    }

    @Test
    void whenOperationsComeFromSeveralThreadsThenEveryInvariantHolds() throws Exception {
        long seed = Long.getLong("model.seed", System.nanoTime());
        Random seeds = new Random(seed);
        List<String> violations = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                runRound(new Random(seeds.nextLong()), executor, violations, round);
                assertThat(violations).as("round %d, replay with -Dmodel.seed=%d", round, seed).isEmpty();
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    private void runRound(Random random, ExecutorService executor, List<String> violations, int round)
            throws Exception {
        EventFdPoller poller = EventFdPoller.builder().threadName("model-poller")
                .errorHandler((fd, error) -> violations.add("error " + error)).start();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            channels.add(new Channel(random.nextBoolean() ? EventFdMode.COUNTER : EventFdMode.SEMAPHORE));
        }
        boolean useExecutor = random.nextBoolean();
        int stopAt = random.nextInt(THREADS * STEPS_PER_THREAD * 2);
        AtomicInteger steps = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long threadSeed = random.nextLong();
            Thread thread = new Thread(() -> {
                Random local = new Random(threadSeed);
                for (int i = 0; i < STEPS_PER_THREAD; i++) {
                    Channel channel = channels.get(local.nextInt(CHANNELS));
                    int pick = local.nextInt(10);
                    if (steps.incrementAndGet() == stopAt) {
                        poller.close();
                    }
                    if (pick < 6) {
                        long n = 1 + local.nextInt(3);
                        channel.eventFd.signal(n);
                        channel.signalled.addAndGet(n);
                    }
                    else if (pick < 8) {
                        register(poller, channel, useExecutor ? executor : null, violations);
                    }
                    else {
                        unregister(channel);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        poller.close();
        for (Channel channel : channels) {
            unregister(channel);
            long pending = channel.eventFd.pendingCount();
            if (channel.delivered.get() + pending != channel.signalled.get()) {
                violations.add("round " + round + ": delivered " + channel.delivered.get() + " + pending " + pending
                        + " != signalled " + channel.signalled.get());
            }
            channel.eventFd.close();
        }
    }

    private static void register(EventFdPoller poller, Channel channel, ExecutorService executor, List<String> violations) {
        synchronized (channel) {
            if (channel.registration != null && channel.registration.isActive()) {
                return;
            }
            AtomicBoolean unregistered = new AtomicBoolean();
            try {
                channel.registration = (executor != null)
                        ? poller.register(channel.eventFd, (fd, count) -> deliver(channel, unregistered, count, violations),
                                executor)
                        : poller.register(channel.eventFd, (fd, count) -> deliver(channel, unregistered, count, violations));
                channel.unregistered = unregistered;
            }
            catch (IllegalStateException ex) {
                // the poller was stopped by another thread: registering is refused, as documented
                channel.registration = null;
            }
        }
    }

    private static void deliver(Channel channel, AtomicBoolean unregistered, long count, List<String> violations) {
        if (channel.running.incrementAndGet() != 1) {
            violations.add("callback ran concurrently with itself");
        }
        if (unregistered.get()) {
            violations.add("delivery after unregister returned");
        }
        channel.delivered.addAndGet(count);
        channel.running.decrementAndGet();
    }

    private static void unregister(Channel channel) {
        synchronized (channel) {
            if (channel.registration != null) {
                channel.registration.close();
                channel.unregistered.set(true);
                channel.registration = null;
            }
        }
    }
}
