package io.github.eventfd.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.PollerRegistration;

/**
 * One poller with 1, 100, 1,000 and 10,000 registered eventfds: the round trip of one hot channel among
 * idle ones (same CPU), the throughput of all channels signalled in turn (producer on cpu0, poller on
 * cpu1), the cost of one register and unregister call, and the heap each registration takes; each beside
 * C doing the same with epoll in the same run.
 */
final class ManyChannels {

    static final String GROUP = "many channels, same CPU";

    static final int[] COUNTS = { 1, 100, 1_000, 10_000 };

    private ManyChannels() {
    }

    private static long millis(boolean quick) {
        return quick ? 300 : 2_000;
    }

    /** The library's rows on this JVM's backend, by {@code kind:count}. */
    static Map<String, String> javaRows(boolean quick) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        // unmeasured: class loading and the JIT, which the first registration would otherwise pay
        registration(1_000);
        for (int count : COUNTS) {
            progress(count + " channels (" + GroupMain.backend() + ")");
            rows.put("hot:" + count, PinnedLatency.java(Placement.sameCpu(0),
                    placement -> ThreadRoundTrips.poller(placement, count - 1), quick ? 500 : 10_000,
                    quick ? 2_000 : 50_000).encode());
            rows.put("rr:" + count, Double.toString(roundRobin(count, millis(quick))));
            rows.put("reg:" + count, registration(count));
        }
        return rows;
    }

    /**
     * Deliveries per second while one thread signals every channel in turn; the time runs until the poller
     * delivered a stop channel signalled last, so what was still ready then counts too, as in C.
     */
    static double roundRobin(int count, long millis) throws Exception {
        Placement placement = Placement.crossCpu(0, 1);
        long[] mask = Affinity.currentMask();
        EventFd[] channels = new EventFd[count];
        EventFd stop = EventFd.create();
        AtomicLong delivered = new AtomicLong();
        long[] atStop = new long[2];
        CountDownLatch stopped = new CountDownLatch(1);
        try (EventFdPoller poller = EventFdPoller.builder().threadName("bench-channels").start()) {
            for (int i = 0; i < count; i++) {
                channels[i] = EventFd.create();
                poller.register(channels[i], (fd, n) -> {
                    delivered.lazySet(delivered.get() + 1);
                    placement.tick();
                });
            }
            poller.register(stop, (fd, n) -> {
                atStop[0] = System.nanoTime();
                atStop[1] = delivered.get();
                stopped.countDown();
            });
            placement.pin(0);
            // warm up and let the poller thread pin itself
            for (EventFd channel : channels) {
                channel.signal();
            }
            while (delivered.get() < count) {
                Thread.onSpinWait();
            }
            long start = System.nanoTime();
            long from = delivered.get();
            long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long i = 0;; i++) {
                channels[(int) (i % count)].signal();
                if ((i & 255) == 0 && System.nanoTime() >= end) {
                    break;
                }
            }
            stop.signal();
            if (!stopped.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the poller did not deliver the stop channel");
            }
            placement.sample(0);
            return (atStop[1] - from) * 1e9 / (atStop[0] - start);
        }
        finally {
            Affinity.restore(mask);
            stop.close();
            for (EventFd channel : channels) {
                if (channel != null) {
                    channel.close();
                }
            }
        }
    }

    /**
     * Register {@code count} eventfds with a fresh poller, then close every registration: ns per register,
     * ns per unregister, heap bytes allocated per register, heap bytes retained per registration.
     */
    static String registration(int count) {
        EventFd[] channels = new EventFd[count];
        PollerRegistration[] registrations = new PollerRegistration[count];
        for (int i = 0; i < count; i++) {
            channels[i] = EventFd.create();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (EventFdPoller poller = EventFdPoller.builder().threadName("bench-register").start()) {
            long retainedBefore = retainedHeap();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                registrations[i] = poller.register(channels[i], (fd, n) -> { });
            }
            long registered = System.nanoTime();
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long retained = retainedHeap() - retainedBefore;
            long unregisterStart = System.nanoTime();
            for (int i = 0; i < count; i++) {
                registrations[i].close();
            }
            long unregistered = System.nanoTime();
            return String.format(Locale.ROOT, "%f %f %f %f", (registered - start) / (double) count,
                    (unregistered - unregisterStart) / (double) count, allocated / (double) count,
                    retained / (double) count);
        }
        finally {
            for (EventFd channel : channels) {
                channel.close();
            }
        }
    }

    private static long retainedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Measure the group, C and the library, and add its rows and targets to the table. */
    static void run(ResultTable table, CFloor c, boolean quick) throws Exception {
        Map<String, String> jna = javaRows(quick);
        String java22 = ChildJvm.java22Home();
        Map<String, Map<String, String>> backends = new LinkedHashMap<>();
        backends.put(GroupMain.backend(), jna);
        if (java22 != null) {
            backends.put("FFM", ChildJvm.rows(java22, "ffm", "channels", quick));
        }
        double[] cThroughput = new double[COUNTS.length];
        double[][] cCtl = new double[COUNTS.length][];
        for (int k = 0; k < COUNTS.length; k++) {
            int count = COUNTS[k];
            progress(count + " channels (C)");
            PinnedLatency cHot = PinnedLatency.measure(Placement.sameCpu(0), placement -> c.pingPong("threads", "epoll",
                    quick ? 2_000 : 50_000, quick ? 500 : 10_000, placement, count - 1));
            table.latency(GROUP, count + " registered: C epoll LT, one hot channel (floor)", cHot.cell(),
                    cHot.latency(), cHot.latency(), "idle eventfds in the set");
            for (Map.Entry<String, Map<String, String>> backend : backends.entrySet()) {
                PinnedLatency hot = PinnedLatency.decode(backend.getValue().get("hot:" + count), Placement.sameCpu(0));
                table.latency(GROUP, count + " registered: EventFdPoller, one hot channel (" + backend.getKey() + ")",
                        hot.cell(), hot.latency(), cHot.latency(), "idle registrations on the poller");
            }
            cThroughput[k] = c.roundRobin(count, millis(quick), Placement.crossCpu(0, 1));
            cCtl[k] = c.epollCtlNanos(count);
        }
        for (int k = 0; k < COUNTS.length; k++) {
            int count = COUNTS[k];
            table.cost(count + " channels signalled in turn: C one-shot epoll loop", format(cThroughput[k])
                    + " deliveries/s", "producer cpu0, consumer cpu1");
            for (Map.Entry<String, Map<String, String>> backend : backends.entrySet()) {
                double rate = Double.parseDouble(backend.getValue().get("rr:" + count));
                table.cost(count + " channels signalled in turn: EventFdPoller (" + backend.getKey() + ")",
                        format(rate) + " deliveries/s", ResultTable.ratio(rate, cThroughput[k]) + " of C");
            }
        }
        for (int k = 0; k < COUNTS.length; k++) {
            int count = COUNTS[k];
            table.cost(count + " channels: C epoll_ctl add / del", format(cCtl[k][0]) + " / " + format(cCtl[k][1])
                    + " ns per call", "");
            for (Map.Entry<String, Map<String, String>> backend : backends.entrySet()) {
                double[] reg = numbers(backend.getValue().get("reg:" + count));
                table.cost(count + " channels: register / unregister (" + backend.getKey() + ")", format(reg[0])
                        + " / " + format(reg[1]) + " ns per call", ResultTable.ratio(reg[0], cCtl[k][0]) + " / "
                        + ResultTable.ratio(reg[1], cCtl[k][1]) + " of C; heap " + format(reg[2])
                        + " B allocated per register, " + format(reg[3]) + " B retained per channel");
            }
        }
        int last = COUNTS.length - 1;
        for (Map.Entry<String, Map<String, String>> backend : backends.entrySet()) {
            String name = backend.getKey();
            double atOne = Double.parseDouble(backend.getValue().get("rr:" + COUNTS[0]));
            double atMost = Double.parseDouble(backend.getValue().get("rr:" + COUNTS[last]));
            double[] reg = numbers(backend.getValue().get("reg:" + COUNTS[last]));
            table.target("poller throughput at 10,000 channels within 0.9x of its own at 1 (" + name + ")",
                    ResultTable.ratio(atMost, atOne), atMost >= 0.9 * atOne);
            table.target("poller throughput at 10,000 channels at least 0.8x of C's one-shot loop (" + name + ")",
                    ResultTable.ratio(atMost, cThroughput[last]), atMost >= 0.8 * cThroughput[last]);
            table.target("register() at 10,000 channels within 2x of C epoll_ctl add (" + name + ")",
                    ResultTable.ratio(reg[0], cCtl[last][0]), reg[0] <= 2 * cCtl[last][0]);
        }
    }

    private static double[] numbers(String encoded) {
        String[] fields = encoded.trim().split(" ");
        double[] values = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = Double.parseDouble(fields[i]);
        }
        return values;
    }

    static String format(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void progress(String step) {
        System.err.println("[bench] " + step);
    }
}
