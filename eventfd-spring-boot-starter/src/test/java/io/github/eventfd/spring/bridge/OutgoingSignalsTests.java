package io.github.eventfd.spring.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.eventfd.SteadyAllocation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutgoingSignalsTests {

    @Test
    void whenSignalsAddUpThenOneDrainTakesTheirSumAndLeavesZero() {
        OutgoingSignals outgoing = new OutgoingSignals();
        outgoing.add(1);
        outgoing.add(41);
        assertThat(outgoing.pending()).isEqualTo(42);
        assertThat(outgoing.drain()).isEqualTo(42);
        assertThat(outgoing.drain()).isZero();
    }

    @Test
    void whenAnAddFindsTheCounterEmptyThenItWakesTheBridgeAndAddsToAWaitingSumDoNot() {
        OutgoingSignals outgoing = new OutgoingSignals();
        AtomicInteger wakeUps = new AtomicInteger();
        outgoing.wakeUpWith(wakeUps::incrementAndGet);
        outgoing.add(1);
        assertThat(wakeUps).hasValue(1);
        outgoing.add(1);
        outgoing.add(5);
        assertThat(wakeUps).hasValue(1);
        assertThat(outgoing.drain()).isEqualTo(7);
        outgoing.add(2);
        assertThat(wakeUps).hasValue(2);
    }

    @Test
    void whenAddsWakeTheBridgeThenNoneAllocates() {
        OutgoingSignals outgoing = new OutgoingSignals();
        Thread bridge = Thread.currentThread();
        // what the Redis bridge registers: made once, an unpark of its thread (here, one that is not parked)
        outgoing.wakeUpWith(() -> LockSupport.unpark(bridge));
        // 200,000 adds, 100,000 of them waking the bridge: one object per wake-up would be 1.6 MB at least. Once
        // compiled: a busy machine may delay the JIT's compilation, and its escape analysis, past any fixed warm-up
        long allocated = SteadyAllocation.leastBytes(() -> addAndDrain(outgoing, 100_000), 50_000);
        assertThat(allocated).as("bytes allocated").isLessThan(50_000);
    }

    private static void addAndDrain(OutgoingSignals outgoing, int rounds) {
        for (int i = 0; i < rounds; i++) {
            outgoing.add(1);
            outgoing.add(1);
            outgoing.drain();
        }
    }

    @Test
    void whenTheSumWouldPassTheLargestEventFdCountThenItStopsThereAndCountsTheLoss() {
        OutgoingSignals outgoing = new OutgoingSignals();
        outgoing.add(Long.MAX_VALUE);
        outgoing.add(Long.MAX_VALUE);
        assertThat(outgoing.lostCount()).isZero();
        assertThat(outgoing.pending()).isEqualTo(-2L);
        outgoing.add(5);
        assertThat(outgoing.pending()).isEqualTo(OutgoingSignals.MAX_COUNT);
        assertThat(outgoing.lostCount()).isEqualTo(1);
    }

    @Test
    void whenThreadsAddWhileAnotherDrainsThenNothingIsLostOrCountedTwice() throws Exception {
        OutgoingSignals outgoing = new OutgoingSignals();
        int threads = 4;
        int perThread = 100_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread adder = new Thread(() -> {
                try {
                    start.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    outgoing.add(1);
                }
            });
            adder.start();
            adders.add(adder);
        }
        start.countDown();
        long drained = 0;
        while (adders.stream().anyMatch(Thread::isAlive)) {
            drained += outgoing.drain();
        }
        for (Thread adder : adders) {
            adder.join();
        }
        drained += outgoing.drain();
        assertThat(drained).isEqualTo((long) threads * perThread);
    }
}
