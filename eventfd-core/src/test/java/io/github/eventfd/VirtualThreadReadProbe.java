package io.github.eventfd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Run on JDK 21+ with fewer virtual-thread carriers than readers
 * ({@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}): virtual
 * threads wait in {@link EventFd#read()} and {@link EventFd#read(Duration)} while another virtual thread
 * signals one unit at a time and waits for it to be read. A timed read waits longer than the signaller may take,
 * so a read that held its carrier would starve the signaller whichever kind it is. Prints what it measured as
 * {@code key=value} pairs and exits with 1 if the signaller did not get through in time.
 */
public final class VirtualThreadReadProbe {

    private static final int READERS = 4;

    private static final int UNITS = 200;

    /** How long the signaller may take, and less than a timed read waits. */
    private static final long SIGNALLER_SECONDS = 20;

    private static final Duration TIMED_READ = Duration.ofSeconds(3 * SIGNALLER_SECONDS);

    private VirtualThreadReadProbe() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService threads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        EventFd eventFd = EventFd.create();
        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong emptyTimeoutsWithUnitsPending = new AtomicLong();
        AtomicLong wokenByClose = new AtomicLong();
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            boolean timed = i % 2 == 1;
            readers.add(threads.submit(() -> {
                try {
                    for (;;) {
                        long count = timed ? eventFd.read(TIMED_READ) : eventFd.read();
                        if (count == 0 && received.get() < sent.get()) {
                            emptyTimeoutsWithUnitsPending.incrementAndGet();
                        }
                        received.addAndGet(count);
                    }
                }
                catch (IllegalStateException closed) {
                    wokenByClose.incrementAndGet();
                }
                return null;
            }));
        }
        Thread.sleep(200); // the readers are waiting now

        long[] maxLatency = new long[1];
        long[] maxGap = new long[1];
        long submitted = System.nanoTime();
        Future<?> signaller = threads.submit(() -> {
            long last = submitted;
            for (int unit = 1; unit <= UNITS; unit++) {
                long now = System.nanoTime();
                maxGap[0] = Math.max(maxGap[0], now - last);
                sent.incrementAndGet();
                eventFd.signal();
                while (received.get() < unit) {
                    LockSupport.parkNanos(50_000);
                }
                last = System.nanoTime();
                maxLatency[0] = Math.max(maxLatency[0], last - now);
            }
            return null;
        });
        boolean done = await(signaller, SIGNALLER_SECONDS);
        long elapsed = System.nanoTime() - submitted;

        long closing = System.nanoTime();
        eventFd.close();
        boolean allWoken = true;
        for (Future<?> reader : readers) {
            allWoken &= await(reader, 5);
        }
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

        System.out.println("carriers=" + System.getProperty("jdk.virtualThreadScheduler.parallelism") + " readers="
                + READERS + " sent=" + sent.get() + " received=" + received.get() + " elapsedMillis="
                + TimeUnit.NANOSECONDS.toMillis(elapsed) + " maxUnitLatencyMillis="
                + TimeUnit.NANOSECONDS.toMillis(maxLatency[0]) + " maxSignallerGapMillis="
                + TimeUnit.NANOSECONDS.toMillis(maxGap[0]) + " emptyTimeoutsWithUnitsPending="
                + emptyTimeoutsWithUnitsPending.get() + " wokenByClose=" + wokenByClose.get() + " closeMillis="
                + closeMillis);
        System.out.flush();
        // readers pinned in a native call would keep this JVM alive
        System.exit(done && allWoken ? 0 : 1);
    }

    private static boolean await(Future<?> future, long seconds) throws InterruptedException {
        try {
            future.get(seconds, TimeUnit.SECONDS);
            return true;
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            System.out.println("not done: " + ex);
            return false;
        }
    }
}
