package io.github.eventfd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Java rows of a group in a JVM of another JDK with a chosen native backend (FFM on JAVA22_HOME's
 * JDK), through {@link GroupMain}, and hands back its rows by key.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** The JDK 22+ to run FFM rows on, or {@code null} if JAVA22_HOME is not set. */
    static String java22Home() {
        return System.getenv("JAVA22_HOME");
    }

    /** Run {@code group}'s Java rows on {@code javaHome}'s JDK with backend {@code backend}. */
    static Map<String, String> rows(String javaHome, String backend, String group, boolean quick)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Deventfd.native=" + backend, "-cp",
                System.getProperty("java.class.path"), GroupMain.class.getName(), group, quick ? "quick" : "full"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(group + " rows on " + javaHome + " failed: " + output);
        }
        Map<String, String> rows = new LinkedHashMap<>();
        output.lines().filter(line -> line.startsWith(GroupMain.ROW)).forEach(line -> {
            String[] parts = line.split("\t", 3);
            rows.put(parts[1], parts[2]);
        });
        return rows;
    }
}
