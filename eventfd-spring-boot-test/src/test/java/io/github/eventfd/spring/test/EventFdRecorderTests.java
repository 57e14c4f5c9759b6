package io.github.eventfd.spring.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** The recorder on its own: what it keeps, how it waits and what it says when a wait runs out. */
class EventFdRecorderTests {

    private final EventFdRecorder recorder = new EventFdRecorder();

    private void deliver(String channel, long count) {
        this.recorder.onApplicationEvent(new EventFdSignalEvent(this, channel, count));
    }

    @Test
    void whenDeliveriesAreRecordedThenTheyAreKeptPerChannelInOrder() {
        deliver("orders", 1);
        deliver("config", 5);
        deliver("orders", 3);
        assertThat(this.recorder.deliveries("orders")).extracting(EventFdSignalEvent::getCount).containsExactly(1L, 3L);
        assertThat(this.recorder.receivedCount("orders")).isEqualTo(4);
        assertThat(this.recorder.receivedCount("config")).isEqualTo(5);
        assertThat(this.recorder.deliveries("nothing")).isEmpty();
        assertThat(this.recorder.receivedCount("nothing")).isZero();
    }

    @Test
    void whenClearedThenEarlierDeliveriesAreForgotten() {
        deliver("orders", 1);
        this.recorder.clear();
        deliver("orders", 2);
        assertThat(this.recorder.deliveries("orders")).extracting(EventFdSignalEvent::getCount).containsExactly(2L);
    }

    @Test
    void whenAWaitStartsBeforeTheDeliveriesThenItReturnsOnceTheyCameFromAnotherThread() throws Exception {
        Thread waiter = Thread.currentThread();
        CompletableFuture<Void> deliverer = CompletableFuture.runAsync(() -> {
            // deliver only once the test thread is waiting, so that the wait itself is what ends
            await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
            deliver("orders", 1);
            deliver("other", 7);
            deliver("orders", 2);
        });
        List<EventFdSignalEvent> deliveries = this.recorder.awaitDeliveries("orders", 2, Duration.ofSeconds(30));
        assertThat(deliveries).extracting(EventFdSignalEvent::getCount).containsExactly(1L, 2L);
        deliverer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void whenAWaitForACountStartsBeforeTheDeliveriesThenItReturnsOnceTheyAddUp() throws Exception {
        Thread waiter = Thread.currentThread();
        CompletableFuture<Void> deliverer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 3; i++) {
                await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
                deliver("orders", 2);
            }
        });
        assertThat(this.recorder.awaitReceivedCount("orders", 6, Duration.ofSeconds(30))).isEqualTo(6);
        assertThat(this.recorder.deliveries("orders")).hasSize(3);
        deliverer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void whenDeliveriesDoNotComeInTimeThenTheWaitFailsNamingTheChannelAndWhatCame() {
        deliver("orders", 3);
        deliver("config", 1);
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> this.recorder.awaitDeliveries("orders", 2, Duration.ofMillis(50)))
                .withMessageStartingWith("eventfd channel 'orders' did not get 2 deliveries within PT0.05S: it had 1 "
                        + "delivery adding up to 3, counts [3] (channels with deliveries: ")
                .withMessageContaining("config");
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> this.recorder.awaitReceivedCount("nothing", 1, Duration.ZERO))
                .withMessageStartingWith("eventfd channel 'nothing' did not get a received count of 1 within PT0S: it "
                        + "had no delivery");
    }

    @Test
    void whenCountsPassLongMaxValueThenTheyAreComparedAndAddedAsUnsigned() {
        deliver("big", EventFd.MAX_COUNT);
        assertThat(this.recorder.awaitReceivedCount("big", EventFd.MAX_COUNT, Duration.ZERO)).isEqualTo(EventFd.MAX_COUNT);
        assertThat(Long.toUnsignedString(this.recorder.receivedCount("big"))).isEqualTo("18446744073709551614");
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> this.recorder.awaitReceivedCount("big", -1L, Duration.ZERO))
                .withMessageContaining("a received count of 18446744073709551615")
                .withMessageContaining("adding up to 18446744073709551614");
    }

    @Test
    void whenManyThreadsDeliverAtOnceThenEveryDeliveryIsRecorded() throws Exception {
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2_000; i++) {
                    deliver("orders", 1);
                }
            }));
        }
        assertThat(this.recorder.awaitDeliveries("orders", 8_000, Duration.ofSeconds(30))).hasSize(8_000);
        for (CompletableFuture<Void> thread : threads) {
            thread.get(30, TimeUnit.SECONDS);
        }
        assertThat(this.recorder.receivedCount("orders")).isEqualTo(8_000);
    }

    @Test
    void whenAskedToWaitForNothingThenTheArgumentIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.recorder.awaitDeliveries("orders", 0, Duration.ZERO))
                .withMessage("'deliveries' must be 1 or more but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> this.recorder.awaitReceivedCount("orders", 0, Duration.ZERO))
                .withMessage("'count' must be 1 or more but was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.recorder.awaitDeliveries("orders", 1, Duration.ofSeconds(-1)))
                .withMessage("'timeout' must be zero or positive but was PT-1S");
    }
}
