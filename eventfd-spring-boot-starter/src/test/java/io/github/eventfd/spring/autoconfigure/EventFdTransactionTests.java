package io.github.eventfd.spring.autoconfigure;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.SteadyAllocation;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.SignalTiming;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * Signals made in {@code @Transactional} methods that write to an embedded H2 database under Boot's
 * management: the listener, woken in this process, queries the table and must find what the signal announced.
 */
class EventFdTransactionTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    TransactionAutoConfiguration.class, TransactionManagerCustomizationAutoConfiguration.class,
                    EventFdAutoConfiguration.class))
            .withBean(OrderListener.class).withBean(OrderService.class);

    private static void createTable(AssertableApplicationContext context) {
        context.getBean(JdbcTemplate.class).execute("create table orders (id int primary key)");
    }

    private static EventFdChannel orders(AssertableApplicationContext context) {
        return context.getBean(EventFdChannelRegistry.class).channel("orders");
    }

    @Test
    void whenATransactionCommitsThenItsSignalsRingAfterTheCommitAsOneWriteAndTheListenerFindsTheRows() {
        this.contextRunner.run(context -> {
            createTable(context);
            EventFdChannel orders = orders(context);
            assertThat(orders.signalTiming()).isEqualTo(SignalTiming.AFTER_COMMIT);
            AtomicLong sentWhileOpen = new AtomicLong(-1);
            context.getBean(OrderService.class).place(3, () -> sentWhileOpen.set(orders.sentCount()));
            assertThat(sentWhileOpen).as("signals written before the commit").hasValue(0);
            OrderListener listener = context.getBean(OrderListener.class);
            // the channel counts what it read before it calls the listener: wait for the call
            await().until(() -> orders.receivedCount() == 3 && !listener.wakeups.isEmpty());
            assertThat(listener.wakeups).containsExactly(new Wakeup(3, 3));
            assertThat(orders.wakeupCount()).isOne();
            assertThat(orders.sentCount()).isEqualTo(3);
        });
    }

    @Test
    void whenATransactionRollsBackThenItsSignalsNeverRing() {
        this.contextRunner.run(context -> {
            createTable(context);
            EventFdChannel orders = orders(context);
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(OrderService.class).placeAndFail(2))
                    .withMessage("payment declined");
            // a later signal outside any transaction: had the rolled-back ones rung, they would come with it or before
            orders.signal(5);
            OrderListener listener = context.getBean(OrderListener.class);
            await().until(() -> orders.receivedCount() >= 5 && !listener.wakeups.isEmpty());
            assertThat(orders.receivedCount()).isEqualTo(5);
            assertThat(listener.wakeups).containsExactly(new Wakeup(5, 0));
            assertThat(orders.sentCount()).isEqualTo(5);
        });
    }

    @Test
    void whenTimingIsImmediateThenASignalWakesTheListenerWhileTheTransactionIsStillOpen() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.signal-timing=immediate").run(context -> {
            createTable(context);
            EventFdChannel orders = orders(context);
            assertThat(orders.signalTiming()).isEqualTo(SignalTiming.IMMEDIATE);
            OrderListener listener = context.getBean(OrderListener.class);
            AtomicInteger wokenWhileOpen = new AtomicInteger();
            context.getBean(OrderService.class).place(1, () -> {
                // with after-commit timing nobody counts this down before the commit: the wait runs out
                if (listener.awaitFirstWakeup()) {
                    wokenWhileOpen.incrementAndGet();
                }
            });
            assertThat(wokenWhileOpen).as("listener ran while the transaction was open").hasValue(1);
            // it woke before the commit, so the row was not there yet: what immediate timing risks
            assertThat(listener.wakeups).containsExactly(new Wakeup(1, 0));
        });
    }

    @Test
    void whenSignalledOutsideATransactionThenItRingsAtOnce() {
        this.contextRunner.run(context -> {
            createTable(context);
            EventFdChannel orders = orders(context);
            OrderService service = context.getBean(OrderService.class);
            assertThat(service.placeWithoutTransaction()).as("sent right after the signal").isEqualTo(1);
            // SUPPORTS with no transaction around it: synchronization but nothing to commit, so no waiting
            assertThat(service.placeInSupportsScope()).as("sent right after the signal").isEqualTo(2);
            await().until(() -> orders.receivedCount() == 2);
            assertThat(context.getBean(OrderListener.class).wakeups).allMatch(wakeup -> wakeup.rows() >= 1);
        });
    }

    @Test
    void whenTheChannelIsClosedThenASignalInATransactionFailsAtOnceAndTheTransactionRollsBack() {
        this.contextRunner.run(context -> {
            createTable(context);
            context.getBean(EventFdChannelLifecycle.class).stop();
            context.getBean(EventFdChannelRegistry.class).destroy();
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(OrderService.class).place(1, () -> { }))
                    .withMessage("eventfd channel 'orders' is closed");
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select count(*) from orders", Integer.class))
                    .isZero();
            assertThat(orders(context).failedSignalCount()).isZero();
        });
    }

    @Test
    void whenSignalledOutsideATransactionThenSignallingAllocatesNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
        this.contextRunner.run(context -> {
            EventFdChannel orders = orders(context);
            assertThat(orders.signalTiming()).isEqualTo(SignalTiming.AFTER_COMMIT);
            int signals = 100_000;
            // a few bytes per signal would add up to hundreds of kilobytes; this leaves room for the measuring. Once
            // compiled: until the optimizing JIT has compiled it, the signalling path allocates (on JDK 25, 40 bytes
            // a signal), and a busy machine may delay that compilation past any fixed warm-up
            long allocated = SteadyAllocation.leastBytes(() -> {
                for (int i = 0; i < signals; i++) {
                    orders.signal();
                }
            }, signals / 10);
            assertThat(allocated).as("bytes allocated by %d signals", signals).isLessThan(signals / 10);
        });
    }

    @Test
    void whenSignalTimingUnknownThenStartupFailsNamingTheProperty() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.signal-timing=later").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .anyMatch(m -> m.contains("'eventfd.channels.orders.signal-timing'"))
                    .anyMatch(m -> m.contains("later"));
        });
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    /**
     * One wake-up: the count delivered and the rows the listener found.
     * @param count the count
     * @param rows the rows in the table when the listener looked
     */
    record Wakeup(long count, int rows) {
    }

    /** Reads the table when woken, as a listener for a doorbell does. */
    public static class OrderListener {

        final List<Wakeup> wakeups = new CopyOnWriteArrayList<>();

        private final CountDownLatch firstWakeup = new CountDownLatch(1);

        private final JdbcTemplate jdbc;

        public OrderListener(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventFdListener("orders")
        void onOrders(long count) {
            Integer rows = this.jdbc.queryForObject("select count(*) from orders", Integer.class);
            this.wakeups.add(new Wakeup(count, (rows != null) ? rows : -1));
            this.firstWakeup.countDown();
        }

        boolean awaitFirstWakeup() {
            try {
                return this.firstWakeup.await(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Saves orders and signals, as the README's example does. */
    public static class OrderService {

        private final JdbcTemplate jdbc;

        private final EventFdNotifier orders;

        private final AtomicInteger ids = new AtomicInteger();

        public OrderService(JdbcTemplate jdbc, @Qualifier("orders") EventFdNotifier orders) {
            this.jdbc = jdbc;
            this.orders = orders;
        }

        private long saveAndSignal(int count) {
            for (int i = 0; i < count; i++) {
                this.jdbc.update("insert into orders (id) values (?)", this.ids.incrementAndGet());
                this.orders.signal();
            }
            return ((EventFdChannel) this.orders).sentCount();
        }

        /** Saves and signals, then runs {@code whileOpen} before the transaction commits. */
        @Transactional
        public void place(int count, Runnable whileOpen) {
            saveAndSignal(count);
            whileOpen.run();
        }

        @Transactional
        public void placeAndFail(int count) {
            saveAndSignal(count);
            throw new IllegalStateException("payment declined");
        }

        /** Saves and signals one order; returns the channel's sent count right after the signal. */
        @Transactional(propagation = Propagation.SUPPORTS)
        public long placeInSupportsScope() {
            return saveAndSignal(1);
        }

        /** Saves and signals one order; returns the channel's sent count right after the signal. */
        public long placeWithoutTransaction() {
            return saveAndSignal(1);
        }
    }
}
