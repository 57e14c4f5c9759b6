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
        List<String> latencyRows = lines.stream().filter(line -> line.startsWith("| thread to thread |")
                || line.startsWith("| process to process |") || line.startsWith("| " + BridgeBenchmarks.GROUP + " |"))
                .toList();
        // with or without Redis: the bridge rows are measured or say why not
        assertThat(latencyRows).hasSizeGreaterThanOrEqualTo(17);
        assertThat(latencyRows).filteredOn(line -> line.startsWith("| " + BridgeBenchmarks.GROUP + " |")).hasSize(2);
        for (String row : latencyRows) {
            String[] cells = row.split("\\|", -1);
            assertThat(cells).as(row).hasSize(10);
            if (!row.contains("skipped")) {
                for (int i = 3; i <= 5; i++) {
                    assertThat(Double.parseDouble(cells[i].trim())).as(row).isPositive();
                }
                assertThat(cells[6].trim()).as(row).matches("\\d+\\.\\d{2}x");
            }
        }
        assertThat(lines).anyMatch(line -> line.startsWith("| EventFd.signal() (JNA, JMH) |") && line.contains("B/op"));
        assertThat(lines).anyMatch(line -> line.startsWith("| idle poller"));
        assertThat(lines).anyMatch(line -> line.startsWith("| bridge coalescing")
                && (line.contains("(exact)") || line.contains("skipped")));
        assertThat(lines.stream().filter(line -> line.endsWith("| met |") || line.endsWith("| not met |")).count())
                .isGreaterThanOrEqualTo(8);
    }
}
