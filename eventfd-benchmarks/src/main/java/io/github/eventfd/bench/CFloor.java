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
