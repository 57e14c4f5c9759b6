package io.github.eventfd.spring.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.test.TestApplication.Delivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The synchronous mode as a test uses it: {@code @AutoConfigureEventFd} on a {@code @SpringBootTest}. Each
 * assertion right after a {@code signal()} would fail with the starter's asynchronous delivery, where the
 * listeners run on other threads, later.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.NONE)
@AutoConfigureEventFd
@RecordApplicationEvents
class SynchronousModeTests {

    @Autowired
    @Qualifier("orders")
    EventFdNotifier orders;

    @Autowired
    @Qualifier("slow")
    EventFdNotifier slow;

    @Autowired
    @Qualifier("stock")
    EventFdNotifier stock;

    @Autowired
    TestApplication.Orders ordersListener;

    @Autowired
    TestApplication.Echo echoListener;

    @Autowired
    TestApplication.Slow slowListener;

    @Autowired
    TestApplication.Stock stockListener;

    @Autowired
    EventFdRecorder recorder;

    @Autowired
    EventFdChannelRegistry registry;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void forgetEarlierTests() {
        this.recorder.clear();
        this.ordersListener.deliveries.clear();
        this.stockListener.deliveries.clear();
        this.stockListener.rowsSeen.clear();
        this.jdbc.execute("create table if not exists stock (id int primary key)");
        this.jdbc.execute("delete from stock");
    }

    @Test
    void whenSynchronousThenEveryChannelIsAnInJvmCounter() {
        assertThat(this.registry.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
        assertThat(this.registry.channels()).allSatisfy(
                channel -> assertThat(channel.implementation()).isEqualTo(CounterImplementation.IN_MEMORY));
    }

    @Test
    void whenSignalledTwiceInARowThenThereAreTwoDeliveriesOnTheCallingThreadEveryTime() {
        for (int round = 0; round < 200; round++) {
            this.ordersListener.deliveries.clear();
            this.orders.signal();
            this.orders.signal();
            assertThat(this.ordersListener.deliveries).as("round %d", round).containsExactly(
                    new Delivery(1, Thread.currentThread()), new Delivery(1, Thread.currentThread()));
        }
        assertThat(this.recorder.deliveries("orders")).hasSize(400);
        assertThat(this.orders.pendingCount()).isZero();
    }

    @Test
    void whenManyThreadsSignalAtOnceThenEveryCountIsDeliveredOnceAndOneDeliveryAtATime() throws Exception {
        int threads = 4;
        int signals = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> signallers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                signallers.add(pool.submit(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < signals; i++) {
                        this.orders.signal();
                    }
                }));
            }
            start.countDown();
            for (Future<?> signaller : signallers) {
                signaller.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        // no wait: when the last signal() returned, what it signalled was delivered, by its thread or another
        assertThat(this.ordersListener.deliveries.stream().mapToLong(Delivery::count).sum()).isEqualTo(threads * signals);
        assertThat(this.orders.pendingCount()).isZero();
        assertThat(this.ordersListener.mostAtOnce).as("listener calls at once").hasValue(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void whenSignalledThenRecordApplicationEventsRecordsTheSignalEvents(ApplicationEvents events) {
        this.orders.signal();
        this.orders.signal(4);
        List<EventFdSignalEvent> recorded = events.stream(EventFdSignalEvent.class)
                .filter(event -> event.getChannel().equals("orders")).toList();
        assertThat(recorded).extracting(EventFdSignalEvent::getCount).containsExactly(1L, 4L);
    }

    @Test
    void whenAListenerSignalsItsOwnChannelThenItGetsOneMoreDeliveryAfterItReturnsAndNeverANestedOne() {
        this.registry.channel("echo").signal();
        // the listener's two signals coalesce into one delivery of 2, which starts after the first call returned
        assertThat(this.echoListener.deliveries).containsExactly(new Delivery(1, Thread.currentThread()),
                new Delivery(2, Thread.currentThread()));
        assertThat(this.echoListener.deliveriesWhenEchoesReturned).as("deliveries when its own signals returned")
                .hasValue(1);
        assertThat(this.echoListener.deepest).as("deepest nesting of its calls").hasValue(1);
        assertThat(this.recorder.deliveries("echo")).extracting(EventFdSignalEvent::getCount).containsExactly(1L, 2L);
    }

    @Test
    void whenAnotherThreadIsDeliveringTheChannelThenASignalReturnsAtOnceAndThatThreadDeliversItRightAfter()
            throws Exception {
        CompletableFuture<Void> first = CompletableFuture.runAsync(this.slow::signal);
        assertThat(this.slowListener.entered.await(10, TimeUnit.SECONDS)).isTrue();
        // the first delivery holds the channel: this signal is left to it, without waiting for it
        this.slow.signal(3);
        assertThat(this.slowListener.deliveries).hasSize(1);
        assertThat(first).as("the first signal(), still delivering").isNotDone();
        this.slowListener.release.countDown();
        first.get(10, TimeUnit.SECONDS);
        // the first signal() returned only after delivering what came meanwhile, on its own thread
        assertThat(this.slowListener.deliveries).extracting(Delivery::count).containsExactly(1L, 3L);
        assertThat(this.slowListener.deliveries.get(1).thread()).isSameAs(this.slowListener.deliveries.get(0).thread())
                .isNotSameAs(Thread.currentThread());
    }

    @Test
    void whenSignalledInATransactionThenItIsDeliveredOnTheCommittingThreadAfterTheCommit() {
        this.transactions.executeWithoutResult(status -> {
            this.jdbc.update("insert into stock (id) values (1)");
            this.stock.signal();
            this.jdbc.update("insert into stock (id) values (2)");
            this.stock.signal();
            assertThat(this.stockListener.deliveries).as("delivered before the commit").isEmpty();
        });
        assertThat(this.stockListener.deliveries).containsExactly(new Delivery(2, Thread.currentThread()));
        assertThat(this.stockListener.rowsSeen).as("rows the listener found").containsExactly(2);
    }

    @Test
    void whenATransactionRollsBackThenNothingIsDelivered() {
        assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult(status -> {
            this.jdbc.update("insert into stock (id) values (1)");
            this.stock.signal();
            throw new IllegalStateException("out of stock");
        }));
        assertThat(this.stockListener.deliveries).isEmpty();
        assertThat(this.stock.pendingCount()).isZero();
        assertThat(this.recorder.deliveries("stock")).isEmpty();
    }

    @Test
    void whenSignalledThenTheRecorderHasTheDeliveryAlreadyAndAWaitReturnsAtOnce() {
        this.orders.signal(2);
        assertThat(this.recorder.awaitDeliveries("orders", 1, Duration.ZERO)).extracting(EventFdSignalEvent::getCount)
                .containsExactly(2L);
        assertThat(this.recorder.awaitReceivedCount("orders", 2, Duration.ZERO)).isEqualTo(2);
    }
}
