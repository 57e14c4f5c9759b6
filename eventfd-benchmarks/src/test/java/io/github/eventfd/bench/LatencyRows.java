package io.github.eventfd.bench;

import static org.assertj.core.api.Assertions.assertThat;

/** What every row of the round-trip table must look like, for the tests of the groups that write them. */
final class LatencyRows {

    private LatencyRows() {
    }

    /**
     * Assert a latency row has every column of {@link ResultTable#LATENCY_HEADER}, and, unless it says it was
     * skipped, positive p50, p99 and p99.9 and a ratio to its floor.
     */
    static void assertWellFormed(String row) {
        String[] cells = row.split("\\|", -1);
        assertThat(cells).as(row).hasSize(11);
        if (!row.contains("skipped")) {
            for (int i = 4; i <= 6; i++) {
                assertThat(Double.parseDouble(cells[i].trim())).as(row).isPositive();
            }
            assertThat(cells[7].trim()).as(row).matches("\\d+\\.\\d{2}x");
        }
    }
}
