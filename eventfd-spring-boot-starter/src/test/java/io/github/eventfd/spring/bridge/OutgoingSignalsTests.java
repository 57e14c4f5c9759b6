package io.github.eventfd.spring.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

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
