package io.github.eventfd.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.eventfd.EventFd;

/**
 * {@code signal()} from 1, 2, 8 and 64 threads at once on one eventfd, in signals per second, beside C
 * threads doing write(2) the same way in the same run.
 */
final class SignalContention {

    static final int[] THREADS = { 1, 2, 8, 64 };

    private SignalContention() {
    }

    private static long total(boolean quick) {
        return quick ? 200_000 : 4_000_000;
    }

    /** The library's rows on this JVM's backend, by thread count: signals per second. */
    static Map<String, String> javaRows(boolean quick) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        // one unmeasured round for the JIT
        signalsPerSecond(2, total(quick) / 2);
        for (int threads : THREADS) {
            progress("signal() from " + threads + " threads (" + GroupMain.backend() + ")");
            rows.put(Integer.toString(threads), Double.toString(signalsPerSecond(threads, total(quick) / threads)));
        }
        return rows;
    }

    static double signalsPerSecond(int threads, long perThread) throws InterruptedException {
        try (EventFd eventFd = EventFd.create()) {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            Thread[] signallers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                signallers[t] = new Thread(() -> {
                    ready.countDown();
                    try {
                        go.await();
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                    for (long i = 0; i < perThread; i++) {
                        eventFd.signal();
                    }
                }, "bench-signal-" + t);
                signallers[t].start();
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            for (Thread signaller : signallers) {
                signaller.join();
            }
            return threads * perThread * 1e9 / (System.nanoTime() - start);
        }
    }

    /** Measure C and the library, and add the rows to the table. */
    static void run(ResultTable table, CFloor c, boolean quick) throws Exception {
        Map<String, Map<String, String>> backends = new LinkedHashMap<>();
        backends.put(GroupMain.backend(), javaRows(quick));
        String java22 = ChildJvm.java22Home();
        if (java22 != null) {
            backends.put("FFM", ChildJvm.rows(java22, "ffm", "contention", quick));
        }
        for (int threads : THREADS) {
            double cRate = c.contendedWrites(threads, total(quick) / threads);
            table.cost("signal() contention, " + threads + " threads on one eventfd: C write(2)",
                    ManyChannels.format(cRate) + " ops/s", "");
            for (Map.Entry<String, Map<String, String>> backend : backends.entrySet()) {
                double rate = Double.parseDouble(backend.getValue().get(Integer.toString(threads)));
                table.cost("signal() contention, " + threads + " threads on one eventfd: EventFd.signal() ("
                        + backend.getKey() + ")", ManyChannels.format(rate) + " ops/s",
                        ResultTable.ratio(rate, cRate) + " of C");
            }
        }
    }

    private static void progress(String step) {
        System.err.println("[bench] " + step);
    }
}
