package io.github.eventfd.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The rows of the bridge across hosts (issue 16), in the same run as the others: the host-to-host round trip
 * through the bridge against a plain Lettuce pub/sub ping-pong on the same Redis, a producer flooding a bridged
 * channel (Redis load follows the bridge's round trips, not the signals; the other host gets every count), and
 * the starter's same-host round trip with its channel bridged or not.
 */
final class BridgeBenchmarks {

    static final String GROUP = "host to host (Redis)";

    static final String LOCAL_BRIDGED = "starter signal() -> @EventFdListener, inline, channel bridged to Redis";

    private static final String LOCAL_PLAIN = "starter signal() -> @EventFdListener, inline, not bridged (same run)";

    private static final String BRIDGE = "bridge: signal() -> other host's @EventFdListener -> signal() back";

    private static final String LETTUCE = "plain Redis pub/sub ping-pong, Lettuce (floor)";

    private final ResultTable table;

    private final int port;

    private final boolean quick;

    BridgeBenchmarks(ResultTable table, int port, boolean quick) {
        this.table = table;
        this.port = port;
        this.quick = quick;
    }

    /** Rows that say why they are missing: no Redis to run them on. */
    static void skipped(ResultTable table, String thread, String reason) {
        table.skipped(thread, LOCAL_PLAIN, reason);
        table.skipped(thread, LOCAL_BRIDGED, reason);
        table.skipped(GROUP, LETTUCE, reason);
        table.skipped(GROUP, BRIDGE, reason);
        table.cost("bridge coalescing: one producer, bridged broadcast", "-", "skipped: " + reason);
    }

    /**
     * The same-host round trip with the channel bridged and not, one after the other, in the group of {@code
     * floor}; the target compares the two.
     */
    void local(String group, Latency floor, int warmup, int iterations) throws Exception {
        PinnedLatency plain = PinnedLatency.java(Placement.crossCpu(0, 1),
                placement -> StarterRoundTrip.start("inline", placement), warmup, iterations);
        PinnedLatency bridged = PinnedLatency.java(Placement.crossCpu(0, 1),
                placement -> StarterRoundTrip.startBridged("inline", this.port, placement), warmup, iterations);
        this.table.latency(group, LOCAL_PLAIN, plain.cell(), plain.latency(), floor,
                "end to end, the row below without the bridge");
        this.table.latency(group, LOCAL_BRIDGED, bridged.cell(), bridged.latency(), floor,
                "each signal also published to Redis");
        this.table.target("same-host round trip with the channel bridged: p50 within noise (1.1x) of not bridged",
                ResultTable.ratio(bridged.latency().p50(), plain.latency().p50()),
                bridged.latency().p50() <= 1.1 * plain.latency().p50());
    }

    /** The host-to-host rows and the coalescing row, with their targets. */
    void acrossHosts(Path work) throws Exception {
        int warmup = this.quick ? 300 : 5_000;
        int iterations = this.quick ? 2_000 : 50_000;
        Latency lettuce = BenchmarkHarness.measure("Lettuce pub/sub ping-pong", BridgeRoundTrips.lettuce(this.port),
                warmup, iterations);
        Latency bridge = BenchmarkHarness.measure("bridge round trip", BridgeRoundTrips.bridge(this.port, work), warmup,
                iterations);
        this.table.latency(GROUP, LETTUCE, lettuce, lettuce, "two JVMs, one Redis on loopback");
        this.table.latency(GROUP, BRIDGE, bridge, lettuce,
                "two Spring Boot apps, host ids and socket directories apart: Redis is the only path");
        this.table.target("host to host through the bridge: p50 within 1.2x of plain Lettuce pub/sub",
                ResultTable.ratio(bridge.p50(), lettuce.p50()), bridge.p50() <= 1.2 * lettuce.p50());

        BenchmarkHarness.progress("bridge coalescing");
        BridgeCoalescing flood = BridgeCoalescing.measure(this.port, work, Duration.ofSeconds(this.quick ? 1 : 5));
        double seconds = flood.seconds();
        this.table.cost("bridge coalescing: one producer, bridged broadcast, " + format(seconds) + " s",
                format(flood.signals() / seconds) + " signals/s, " + format(flood.commands() / seconds)
                        + " Redis commands/s",
                flood.publishes() + " PUBLISH for " + flood.signals() + " signals ("
                        + format((double) flood.signals() / Math.max(1, flood.publishes())) + " signals per message); "
                        + "delivered on the other host: " + flood.delivered()
                        + (flood.exact() ? " (exact)" : " (NOT the " + flood.signals() + " sent)"));
        this.table.target("bridge coalescing: the other host delivers exactly the signals sent",
                flood.delivered() + " of " + flood.signals(), flood.exact());
        if (!flood.exact()) {
            System.err.println("[bench] the bridge lost or duplicated counts: " + flood.delivered() + " delivered of "
                    + flood.signals() + " sent");
        }
    }

    private static String format(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
