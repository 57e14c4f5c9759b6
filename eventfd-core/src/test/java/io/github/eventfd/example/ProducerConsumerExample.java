package io.github.eventfd.example;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runnable example: a producer thread rings an eventfd doorbell, the poller thread wakes and prints what
 * it got. Bursts show coalescing: several signals arrive as one wake-up with their sum.
 * Run with {@code mvn -pl eventfd-core test-compile exec:java}.
 */
public final class ProducerConsumerExample {

    private ProducerConsumerExample() {
    }

    public static void main(String[] args) throws Exception {
        int bursts = 10;
        long expected = (long) bursts * (bursts + 1) / 2;
        AtomicLong received = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (EventFd doorbell = EventFd.create();
                EventFdPoller poller = EventFdPoller.builder().threadName("example-poller").start()) {
            poller.register(doorbell, (eventFd, count) -> {
                long total = received.addAndGet(count);
                System.out.printf("[%s] woke up: %d signal(s) since last wake-up, %d of %d in total%n",
                        Thread.currentThread().getName(), count, total, expected);
                if (total == expected) {
                    done.countDown();
                }
            });
            Thread producer = new Thread(() -> {
                for (int burst = 1; burst <= bursts; burst++) {
                    for (int i = 0; i < burst; i++) {
                        doorbell.signal();
                    }
                    System.out.printf("[%s] signalled %d time(s)%n", Thread.currentThread().getName(), burst);
                    sleep(100);
                }
            }, "producer");
            producer.start();
            producer.join();
            done.await();
        }
        System.out.println("all " + expected + " signals delivered");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
