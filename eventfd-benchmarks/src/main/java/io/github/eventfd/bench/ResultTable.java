package io.github.eventfd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results as markdown: latency rows with their ratio to the floor of their group, cost rows, and
 * the targets with where the project stands.
 */
final class ResultTable {

    static final String LATENCY_HEADER =
            "| group | row | placement | p50 µs | p99 µs | p99.9 µs | p50 / floor | p99 / floor | note |";

    private final List<String> latencyLines = new ArrayList<>();

    private final List<String> costLines = new ArrayList<>();

    private final List<String> targetLines = new ArrayList<>();

    /** A row whose threads the scheduler placed as it liked. */
    void latency(String group, String row, Latency latency, Latency floor, String note) {
        latency(group, row, "unpinned", latency, floor, note);
    }

    /** A row with the placement of its two threads, as intended and, if it did not hold, as seen. */
    void latency(String group, String row, String placement, Latency latency, Latency floor, String note) {
        this.latencyLines.add(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %s | %s | %s |", group,
                row, placement, latency.p50(), latency.p99(), latency.p999(), ratio(latency.p50(), floor.p50()),
                ratio(latency.p99(), floor.p99()), note));
    }

    void skipped(String group, String row, String note) {
        this.latencyLines.add("| " + group + " | " + row + " | - | - | - | - | - | - | skipped: " + note + " |");
    }

    void cost(String row, String value, String note) {
        this.costLines.add("| " + row + " | " + value + " | " + note + " |");
    }

    void target(String target, String measured, boolean met) {
        this.targetLines.add("| " + target + " | " + measured + " | " + (met ? "met" : "not met") + " |");
    }

    static String ratio(double value, double floor) {
        return String.format(Locale.ROOT, "%.2fx", value / floor);
    }

    String markdown(String machine) {
        StringBuilder out = new StringBuilder();
        out.append("Machine: ").append(machine).append("\n\n");
        out.append("Round-trip latency (one signal there, one back; HdrHistogram):\n\n");
        out.append(LATENCY_HEADER).append('\n');
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        this.latencyLines.forEach(line -> out.append(line).append('\n'));
        out.append("\nCost:\n\n| row | value | note |\n| --- | --- | --- |\n");
        this.costLines.forEach(line -> out.append(line).append('\n'));
        out.append("\nTargets:\n\n| target | measured | status |\n| --- | --- | --- |\n");
        this.targetLines.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }
}
