package io.github.eventfd.bench;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the shape of the table in quick mode; the numbers themselves are for the benchmark run. */
@EnabledOnOs(OS.LINUX)
class BenchmarkHarnessTest {

    @Test
    void whenRunInQuickModeThenEveryRowIsAWellFormedMarkdownRowWithNumbers() throws Exception {
        String table = BenchmarkHarness.run(true);
        List<String> lines = table.lines().toList();
        assertThat(lines).contains(ResultTable.LATENCY_HEADER);
        List<String> latencyRows = lines.stream().filter(line -> line.startsWith("| thread to thread")
                || line.startsWith("| process to process |") || line.startsWith("| many channels")
                || line.startsWith("| " + BridgeBenchmarks.GROUP + " |")).toList();
        assertThat(latencyRows).hasSizeGreaterThanOrEqualTo(32);
        // with or without Redis: the bridge rows are measured or say why not
        assertThat(latencyRows).filteredOn(line -> line.startsWith("| " + BridgeBenchmarks.GROUP + " |")).hasSize(2);
        assertThat(latencyRows).filteredOn(line -> line.contains(BridgeBenchmarks.LOCAL_BRIDGED)).hasSize(1);
        latencyRows.forEach(LatencyRows::assertWellFormed);
        // every thread row is pinned, and says where: both on one CPU in the same-CPU group, two in the other
        assertThat(latencyRows.stream().filter(row -> row.startsWith("| thread to thread, same CPU |")))
                .hasSizeGreaterThanOrEqualTo(5).allMatch(row -> row.contains("| cpu0+cpu0"));
        // the bridge's same-host rows are in the cross-CPU group too, skipped where no Redis runs
        assertThat(latencyRows.stream().filter(row -> row.startsWith("| thread to thread, cross-CPU |")
                && !row.contains("| skipped: ")))
                .hasSizeGreaterThanOrEqualTo(9).allMatch(row -> row.contains("| cpu0+cpu1"));
        assertThat(lines).anyMatch(line -> line.startsWith("| 10000 channels signalled in turn: EventFdPoller")
                && line.contains("deliveries/s"));
        assertThat(lines).anyMatch(line -> line.startsWith("| 10000 channels: register / unregister")
                && line.contains("B retained per channel"));
        assertThat(lines).anyMatch(line -> line.startsWith("| signal() contention, 64 threads on one eventfd: EventFd"));
        assertThat(lines).anyMatch(line -> line.startsWith("| EventFd.signal() (JNA, JMH) |") && line.contains("B/op"));
        assertThat(lines).anyMatch(line -> line.startsWith("| idle poller"));
        assertThat(lines).anyMatch(line -> line.startsWith("| bridge coalescing")
                && (line.contains("(exact)") || line.contains("skipped")));
        assertThat(lines.stream().filter(line -> line.endsWith("| met |") || line.endsWith("| not met |")).count())
                .isGreaterThanOrEqualTo(8);
    }
}
