package io.github.eventfd.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The thread-to-thread round trips, pinned: a same-CPU group (both threads on cpu0, no cross-CPU wake-up
 * to hide the user-space cost) and a cross-CPU group (cpu0 and cpu1). Each row's placement is checked at
 * run time and printed; the C programs run in the same session as the baselines. The library's rows run
 * here (JNA on JDK 17) and, when JAVA22_HOME is set, in a child JVM on that JDK with the FFM backend.
 */
final class PinnedRoundTrips {

    static final String SAME_CPU = "thread to thread, same CPU";

    static final String CROSS_CPU = "thread to thread, cross-CPU";

    private PinnedRoundTrips() {
    }

    /** What the harness's older targets compare: the cross-CPU floor and the starter's two dispatch modes. */
    record CrossCpu(Latency floor, Latency inline, Latency executor) {
    }

    private static Placement placement(String group) {
        return group.equals("same") ? Placement.sameCpu(0) : Placement.crossCpu(0, 1);
    }

    private static int iterations(boolean quick) {
        return quick ? 5_000 : 200_000;
    }

    private static int warmup(boolean quick) {
        return quick ? 1_000 : 20_000;
    }

    /** The library's rows on this JVM's backend, by {@code group:row}, encoded. */
    static Map<String, String> javaRows(boolean quick) throws Exception {
        int iterations = iterations(quick);
        int warmup = warmup(quick);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String group : new String[] { "same", "cross" }) {
            progress(group + "-CPU EventFd.read() (" + GroupMain.backend() + ")");
            rows.put(group + ":blocking", PinnedLatency.java(placement(group), ThreadRoundTrips::eventFdBlocking,
                    warmup, iterations).encode());
            progress(group + "-CPU EventFdPoller (" + GroupMain.backend() + ")");
            rows.put(group + ":poller", PinnedLatency.java(placement(group), ThreadRoundTrips::poller, warmup,
                    iterations).encode());
            progress(group + "-CPU starter inline (" + GroupMain.backend() + ")");
            rows.put(group + ":inline", PinnedLatency.java(placement(group),
                    placement -> StarterRoundTrip.start("inline", placement), warmup, iterations).encode());
        }
        return rows;
    }

    /** Measure both groups, add their rows and targets to the table. */
    static CrossCpu run(ResultTable table, CFloor c, boolean quick) throws Exception {
        int iterations = iterations(quick);
        int warmup = warmup(quick);
        Map<String, String> jna = javaRows(quick);
        String java22 = ChildJvm.java22Home();
        Map<String, String> ffm = (java22 != null) ? ChildJvm.rows(java22, "ffm", "pinned", quick) : Map.of();
        CrossCpu cross = null;
        for (String group : new String[] { "same", "cross" }) {
            String name = group.equals("same") ? SAME_CPU : CROSS_CPU;
            progress(name + ": C floor");
            PinnedLatency cBlocking = PinnedLatency.measure(placement(group),
                    placement -> c.pingPong("threads", "blocking", iterations, warmup, placement, 0));
            PinnedLatency cEpoll = PinnedLatency.measure(placement(group),
                    placement -> c.pingPong("threads", "epoll", iterations, warmup, placement, 0));
            Latency floor = (cBlocking.latency().p50() <= cEpoll.latency().p50()) ? cBlocking.latency()
                    : cEpoll.latency();
            row(table, name, "C eventfd, blocking read (floor)", cBlocking, floor, "gcc -O2");
            row(table, name, "C eventfd, epoll_wait LT (floor)", cEpoll, floor, "gcc -O2");
            PinnedLatency inline = null;
            for (String[] r : new String[][] { { "blocking", "EventFd blocking read", "poll(2) then read(2)" },
                    { "poller", "EventFdPoller callback", "epoll; inline: level-triggered, no re-arm" },
                    { "inline", "starter signal() -> @EventFdListener, inline", "end to end" } }) {
                PinnedLatency onJna = PinnedLatency.decode(jna.get(group + ":" + r[0]), placement(group));
                row(table, name, r[1] + " (" + GroupMain.backend() + ")", onJna, floor, r[2]);
                if (r[0].equals("inline")) {
                    inline = onJna;
                }
                if (ffm.containsKey(group + ":" + r[0])) {
                    PinnedLatency onFfm = PinnedLatency.decode(ffm.get(group + ":" + r[0]), placement(group));
                    row(table, name, r[1] + " (FFM, JDK 22+)", onFfm, floor, r[2]);
                    if (r[0].equals("poller") && group.equals("same")) {
                        target(table, "same-CPU EventFdPoller round trip (FFM) p50 within 1.3x of C epoll LT", onFfm,
                                cEpoll, 1.3);
                    }
                }
                if (r[0].equals("poller") && group.equals("same")) {
                    target(table, "same-CPU EventFdPoller round trip (" + GroupMain.backend()
                            + ") p50 within 1.5x of C epoll LT", onJna, cEpoll, 1.5);
                }
            }
            if (java22 == null) {
                table.skipped(name, "FFM rows", "set JAVA22_HOME to a JDK 22+");
            }
            if (group.equals("cross")) {
                PinnedLatency executor = java(table, name, "starter signal() -> @EventFdListener, executor",
                        placement -> StarterRoundTrip.start("executor", placement), floor, warmup, iterations,
                        "end to end; only the executor's threads pin themselves");
                java(table, name, "LockSupport park/unpark", ThreadRoundTrips::parkUnpark, floor, warmup, iterations,
                        "JVM only");
                java(table, name, "ArrayBlockingQueue put/take", ThreadRoundTrips::blockingQueue, floor, warmup,
                        iterations, "JVM only");
                java(table, name, "java.nio Pipe + Selector", ThreadRoundTrips::pipeSelector, floor, warmup,
                        iterations, "");
                cross = new CrossCpu(floor, inline.latency(), executor.latency());
            }
        }
        return cross;
    }

    private static PinnedLatency java(ResultTable table, String group, String row,
            PinnedLatency.RoundTripFactory factory, Latency floor, int warmup, int iterations, String note)
            throws Exception {
        progress(row);
        PinnedLatency result = PinnedLatency.java(Placement.crossCpu(0, 1), factory, warmup, iterations);
        row(table, group, row, result, floor, note);
        return result;
    }

    private static void row(ResultTable table, String group, String row, PinnedLatency result, Latency floor,
            String note) {
        table.latency(group, row, result.cell(), result.latency(), floor, note);
    }

    private static void target(ResultTable table, String target, PinnedLatency measured, PinnedLatency baseline,
            double within) {
        boolean placed = measured.placement().held() && baseline.placement().held();
        table.target(target, ResultTable.ratio(measured.latency().p50(), baseline.latency().p50())
                + (placed ? "" : " (placement not held)"),
                placed && measured.latency().p50() <= within * baseline.latency().p50());
    }

    private static void progress(String step) {
        System.err.println("[bench] " + step);
    }
}
