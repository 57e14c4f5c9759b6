package io.github.eventfd.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C ping-pong program, compiled with the system's gcc into a temporary directory, and its results.
 */
final class CFloor {

    private final Path binary;

    private CFloor(Path binary) {
        this.binary = binary;
    }

    static CFloor compile(Path directory) throws IOException, InterruptedException {
        Path source = directory.resolve("pingpong.c");
        try (InputStream in = CFloor.class.getResourceAsStream("/pingpong.c")) {
            Files.copy(in, source);
        }
        Path binary = directory.resolve("pingpong");
        run(List.of("gcc", "-O2", "-pthread", "-o", binary.toString(), source.toString()));
        return new CFloor(binary);
    }

    Latency pingPong(String between, String waiting, int iterations, int warmup) throws IOException, InterruptedException {
        String[] fields = run(List.of(this.binary.toString(), between, waiting, Integer.toString(iterations),
                Integer.toString(warmup))).trim().split(" ");
        return Latency.fromNanos(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
    }

    /**
     * A pinned ping-pong: each side pins itself where {@code placement} says and reports where it ran,
     * which this records in the placement; {@code idle} more eventfds sit in the echo's epoll set.
     */
    Latency pingPong(String between, String waiting, int iterations, int warmup, Placement placement, int idle)
            throws IOException, InterruptedException {
        String[] fields = run(List.of(this.binary.toString(), between, waiting, Integer.toString(iterations),
                Integer.toString(warmup), Integer.toString(placement.cpu(0)), Integer.toString(placement.cpu(1)),
                Integer.toString(idle))).trim().split(" ");
        placement.record(0, Integer.parseInt(fields[4]));
        placement.record(1, Integer.parseInt(fields[5]));
        if (!fields[3].equals("1")) {
            // a stray seen by a sample during the run, not at its end
            placement.markStray(0);
        }
        return Latency.fromNanos(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
    }

    /** Deliveries per second of a C one-shot epoll loop over {@code channels} eventfds signalled in turn. */
    double roundRobin(int channels, long millis, Placement placement) throws IOException, InterruptedException {
        return Double.parseDouble(run(List.of(this.binary.toString(), "roundrobin", Integer.toString(channels),
                Long.toString(millis), Integer.toString(placement.cpu(0)), Integer.toString(placement.cpu(1)))).trim());
    }

    /** Nanoseconds per {@code epoll_ctl} add and per delete, with {@code channels} eventfds. */
    double[] epollCtlNanos(int channels) throws IOException, InterruptedException {
        String[] fields = run(List.of(this.binary.toString(), "ctl", Integer.toString(channels))).trim().split(" ");
        return new double[] { Double.parseDouble(fields[0]), Double.parseDouble(fields[1]) };
    }

    /** write(2)s per second to one eventfd from {@code threads} threads at once. */
    double contendedWrites(int threads, long opsPerThread) throws IOException, InterruptedException {
        return Double.parseDouble(run(List.of(this.binary.toString(), "contend", Integer.toString(threads),
                Long.toString(opsPerThread))).trim());
    }

    double writeNanos(int iterations) throws IOException, InterruptedException {
        return Double.parseDouble(run(List.of(this.binary.toString(), "write", Integer.toString(iterations))).trim());
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
