package io.github.eventfd.spring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.annotation.EventFdListener;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/** An application with listeners of four channels, as the tests of this module need them. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestApplication.Orders.class, TestApplication.Echo.class, TestApplication.Slow.class,
        TestApplication.Stock.class })
class TestApplication {

    /**
     * One delivery as a listener saw it.
     * @param count the count delivered
     * @param thread the thread it ran on
     */
    record Delivery(long count, Thread thread) {
    }

    /** Records each delivery of "orders", and how many of its calls ever ran at once. */
    static class Orders {

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

        final AtomicInteger running = new AtomicInteger();

        final AtomicInteger mostAtOnce = new AtomicInteger();

        @EventFdListener("orders")
        void onOrders(EventFdSignalEvent event) {
            this.mostAtOnce.accumulateAndGet(this.running.incrementAndGet(), Math::max);
            this.deliveries.add(new Delivery(event.getCount(), Thread.currentThread()));
            this.running.decrementAndGet();
        }
    }

    /**
     * On its first delivery signals its own channel twice, and notes how deeply its calls nest: a nested
     * delivery would show as a depth of 2.
     */
    static class Echo {

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

        final AtomicInteger depth = new AtomicInteger();

        final AtomicInteger deepest = new AtomicInteger();

        /** Deliveries that had already begun when the echoes returned. */
        final AtomicInteger deliveriesWhenEchoesReturned = new AtomicInteger(-1);

        private final EventFdNotifier echo;

        Echo(@Qualifier("echo") EventFdNotifier echo) {
            this.echo = echo;
        }

        @EventFdListener("echo")
        void onEcho(long count) {
            this.deepest.accumulateAndGet(this.depth.incrementAndGet(), Math::max);
            try {
                this.deliveries.add(new Delivery(count, Thread.currentThread()));
                if (this.deliveries.size() == 1) {
                    this.echo.signal();
                    this.echo.signal();
                    this.deliveriesWhenEchoesReturned.set(this.deliveries.size());
                }
            }
            finally {
                this.depth.decrementAndGet();
            }
        }
    }

    /** Holds its first delivery until released. */
    static class Slow {

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @EventFdListener("slow")
        void onSlow(long count) throws InterruptedException {
            this.deliveries.add(new Delivery(count, Thread.currentThread()));
            if (this.deliveries.size() == 1) {
                this.entered.countDown();
                if (!this.release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
        }
    }

    /** Reads the table "stock" when woken, as a listener for a doorbell does. */
    static class Stock {

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

        final List<Integer> rowsSeen = new CopyOnWriteArrayList<>();

        private final JdbcTemplate jdbc;

        Stock(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventFdListener("stock")
        void onStock(long count) {
            this.deliveries.add(new Delivery(count, Thread.currentThread()));
            this.rowsSeen.add(this.jdbc.queryForObject("select count(*) from stock", Integer.class));
        }
    }
}
