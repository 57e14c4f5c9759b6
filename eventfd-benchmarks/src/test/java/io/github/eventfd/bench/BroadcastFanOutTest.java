package io.github.eventfd.bench;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the shape of the broadcast fan-out group in quick mode; the numbers themselves are for the benchmark run. */
@EnabledOnOs(OS.LINUX)
class BroadcastFanOutTest {

    @TempDir
    Path work;

    @Test
    void whenRunInQuickModeThenEachSizeHasItsFourRowsAndTheTargetsAreJudged() throws Exception {
        ResultTable table = new ResultTable();
        BroadcastFanOut.run(table, this.work, true);
        List<String> lines = table.markdown("test").lines().toList();
        List<String> rows = lines.stream().filter(line -> line.startsWith("| " + BroadcastFanOut.GROUP + " |")).toList();
        assertThat(rows).hasSize(8);
        rows.forEach(LatencyRows::assertWellFormed);
        assertThat(rows).anyMatch(row -> row.contains("fan-in from an attached peer, 4 subscribers"));
        assertThat(lines).anyMatch(line -> line.startsWith("| broadcast: signal() in the serving JVM, 4 subscribers |"));
        assertThat(lines.stream().filter(line -> line.startsWith("| broadcast:")
                && (line.endsWith("| met |") || line.endsWith("| not met |")))).hasSize(4);
    }
}
