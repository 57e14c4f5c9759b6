package io.github.eventfd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.ShareRole;
import io.github.eventfd.share.SharedChannel;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * The broadcast fan-out group: the latency from one signal to the wake-up of the last of N subscriber processes
 * (1, 4, 16, 64; 1 and 4 in quick mode), for a C process writing N eventfds, this library's broadcast channel
 * served by this JVM ({@code signal()} here, and a signal through the fan-in from an attached peer), and Redis
 * pub/sub; plus the time {@code signal()} holds its caller. Subscribers are small C processes
 * ({@code fanout.c}) that stamp {@code CLOCK_MONOTONIC}, the clock {@link System#nanoTime()} reads, when they
 * wake.
 */
final class BroadcastFanOut {

    static final String GROUP = "broadcast fan-out";

    private static final String CHANNEL = "fanout";

    private final Path binary;

    private final Path work;

    private final int iterations;

    private final int warmup;

    private BroadcastFanOut(Path binary, Path work, boolean quick) {
        this.binary = binary;
        this.work = work;
        this.iterations = quick ? 300 : 2_000;
        this.warmup = quick ? 100 : 1_000;
    }

    /** Measure the group and add its rows and targets to the table. */
    static void run(ResultTable table, Path work, boolean quick) throws Exception {
        BroadcastFanOut bench = new BroadcastFanOut(compile(work), work, quick);
        int[] sizes = quick ? new int[] { 1, 4 } : new int[] { 1, 4, 16, 64 };
        int redisPort = Integer.getInteger("bench.redis.port", 6379);
        boolean redis = Resp.reachable("127.0.0.1", redisPort);
        Map<Integer, Latency> c = new LinkedHashMap<>();
        Map<Integer, Library> library = new LinkedHashMap<>();
        for (int subscribers : sizes) {
            BenchmarkHarness.progress("broadcast fan-out, " + subscribers + " subscribers");
            Latency floor = bench.c(subscribers);
            c.put(subscribers, floor);
            String plural = (subscribers == 1) ? "" : "s";
            String who = subscribers + " subscriber" + plural;
            table.latency(GROUP, "C, one process writes " + subscribers + " eventfd" + plural + " (floor), " + who,
                    floor, floor, "last subscriber's wake-up, epoll_wait");
            Library measured = bench.library(subscribers);
            String direct = "shared broadcast channel, signal() in the serving JVM, " + who;
            String fanIn = "shared broadcast channel, fan-in from an attached peer, " + who;
            if (measured != null) {
                library.put(subscribers, measured);
                table.latency(GROUP, direct, measured.direct(), floor, "C subscribers attached over the share protocol");
                table.latency(GROUP, fanIn, measured.fanIn(), floor,
                        "a C peer writes the fan-in eventfd, the server's fan-out forwards it");
            }
            else {
                String why = "the server dropped a subscriber (a write waited past the 500 ms stall bound: the machine"
                        + " is too busy for this row)";
                table.skipped(GROUP, direct, why);
                table.skipped(GROUP, fanIn, why);
            }
            if (redis) {
                table.latency(GROUP, "Redis pub/sub on loopback, " + who, bench.redis(redisPort, subscribers), floor,
                        "C publisher and subscribers, redis-server");
            }
            else {
                table.skipped(GROUP, "Redis pub/sub on loopback, " + who, "no Redis on 127.0.0.1:" + redisPort);
            }
        }
        int first = sizes[0];
        int last = sizes[sizes.length - 1];
        if (!library.containsKey(first) || !library.containsKey(last)) {
            table.target("broadcast: the fan-out targets", "-", false);
            return;
        }
        double cPer = perSubscriber(c.get(first).p50(), c.get(last).p50(), first, last);
        double libraryPer = perSubscriber(library.get(first).direct().p50(), library.get(last).direct().p50(), first,
                last);
        double fanInPer = perSubscriber(library.get(first).fanIn().p50(), library.get(last).fanIn().p50(), first, last);
        String span = "(p50 at " + last + " - at " + first + ") / " + (last - first);
        table.cost("broadcast: cost per subscriber, C", format(cPer) + " µs", span);
        table.cost("broadcast: cost per subscriber, signal() in the serving JVM", format(libraryPer) + " µs",
                ResultTable.ratio(libraryPer, cPer) + " of C");
        table.cost("broadcast: cost per subscriber, fan-in", format(fanInPer) + " µs", ResultTable.ratio(fanInPer, cPer)
                + " of C");
        Latency signalFirst = library.get(first).signal();
        Latency signalLast = library.get(last).signal();
        for (int subscribers : new int[] { first, last }) {
            Latency signal = library.get(subscribers).signal();
            table.cost("broadcast: signal() in the serving JVM, " + subscribers + " subscriber"
                    + ((subscribers == 1) ? "" : "s"), format(signal.p50()) + " µs p50, " + format(signal.p99())
                    + " µs p99", "the time signal() holds its caller");
        }
        table.target("broadcast: cost per subscriber within 1.5x of C's (" + last + " subscribers)",
                ResultTable.ratio(libraryPer, cPer), libraryPer <= 1.5 * cPer);
        table.target("broadcast: p99 at " + last + " subscribers within 2x of C's",
                ResultTable.ratio(library.get(last).direct().p99(), c.get(last).p99()),
                library.get(last).direct().p99() <= 2 * c.get(last).p99());
        double fanInRatio = library.get(first).fanIn().p50() / library.get(first).direct().p50();
        table.target("broadcast: fan-in within 1.3x of direct serving (p50, " + first + " subscriber)",
                format(fanInRatio) + "x", fanInRatio <= 1.3);
        table.target("broadcast: signal() does not grow with subscribers (p50 at " + last + " within 1.5x of at "
                + first + ")", ResultTable.ratio(signalLast.p50(), signalFirst.p50()),
                signalLast.p50() <= 1.5 * signalFirst.p50());
    }

    private static double perSubscriber(double atFirst, double atLast, int first, int last) {
        return (atLast - atFirst) / Math.max(1, last - first);
    }

    private static Path compile(Path directory) throws IOException, InterruptedException {
        Path source = directory.resolve("fanout.c");
        try (InputStream in = BroadcastFanOut.class.getResourceAsStream("/fanout.c")) {
            Files.copy(in, source);
        }
        Path binary = directory.resolve("fanout");
        run(List.of("gcc", "-O2", "-o", binary.toString(), source.toString()));
        return binary;
    }

    private Latency c(int subscribers) throws IOException, InterruptedException {
        return parse(run(List.of(this.binary.toString(), "c", Integer.toString(subscribers),
                Integer.toString(this.iterations), Integer.toString(this.warmup))));
    }

    private Latency redis(int port, int subscribers) throws IOException, InterruptedException {
        return parse(run(List.of(this.binary.toString(), "redis", Integer.toString(port), Integer.toString(subscribers),
                Integer.toString(this.iterations), Integer.toString(this.warmup))));
    }

    /**
     * A broadcast channel served here, N C subscribers and one C peer that signals through the fan-in: rounds
     * of {@code signal()} timed here against the subscribers' stamps, then rounds of fan-in signals timed by
     * the peer.
     * @return the measurements, or {@code null} if the server dropped a subscriber meanwhile
     */
    private @Nullable Library library(int subscribers) throws IOException, InterruptedException {
        Path socket = this.work.resolve("fanout-" + subscribers + ".sock");
        ShareOptions options = ShareOptions.builder(CHANNEL, socket).kind(ShareKind.BROADCAST).role(ShareRole.OWNER)
                .consume(false).attachTimeout(Duration.ofSeconds(10)).build();
        try (SharedChannel channel = SharedChannel.open(options)) {
            Process process = new ProcessBuilder(this.binary.toString(), "attach", socket.toString(), CHANNEL,
                    Integer.toString(subscribers)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                String ready = out.readLine();
                // the server subscribes each subscriber before its reply, so all are subscribed once they are READY
                if (!"READY".equals(ready) || channel.peers().size() < subscribers) {
                    throw new IOException("fan-out subscribers did not attach: " + ready + ", peers "
                            + channel.peers().size());
                }
                Histogram latency = new Histogram(3_600_000_000_000L, 3);
                Histogram signal = new Histogram(3_600_000_000_000L, 3);
                for (int i = -this.warmup; i < this.iterations; i++) {
                    long start = System.nanoTime();
                    channel.signal();
                    long signalled = System.nanoTime();
                    long last = Long.parseLong(line(out));
                    if (i >= 0) {
                        latency.recordValue(last - start);
                        signal.recordValue(signalled - start);
                    }
                }
                OutputStream in = process.getOutputStream();
                in.write(String.format(Locale.ROOT, "fanin %d %d%n", this.iterations, this.warmup)
                        .getBytes(StandardCharsets.UTF_8));
                in.flush();
                Latency fanIn = parse(line(out));
                in.close();
                return new Library(percentiles(latency), fanIn, percentiles(signal));
            }
            catch (DroppedException ex) {
                return null;
            }
            finally {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String line(BufferedReader out) throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the fan-out subscribers ended");
        }
        if (line.equals("DROPPED")) {
            throw new DroppedException();
        }
        return line;
    }

    /** The server dropped a subscriber, so no round can end any more. */
    private static final class DroppedException extends IOException {

        private static final long serialVersionUID = 1L;
    }

    private static Latency percentiles(Histogram histogram) {
        return Latency.fromNanos(histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9));
    }

    private static Latency parse(String output) {
        String[] fields = output.trim().split(" ");
        return Latency.fromNanos(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                Double.parseDouble(fields[2]));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** What one size measured of this library: signalled here, signalled through the fan-in, signal() itself. */
    private record Library(Latency direct, Latency fanIn, Latency signal) {
    }
}
