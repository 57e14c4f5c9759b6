package io.github.eventfd.bench;

import java.util.Locale;

/**
 * The latency of a pinned round-trip row and where its threads ran; a row whose placement did not hold is
 * measured once more, and the second result is kept, held or not.
 *
 * @param latency the percentiles
 * @param placement the intended CPUs and what was seen
 * @param reruns 0, or 1 if the first run's placement did not hold
 */
record PinnedLatency(Latency latency, Placement placement, int reruns) {

    /** Something that measures one row under a placement. */
    @FunctionalInterface
    interface Measurement {

        Latency measure(Placement placement) throws Exception;
    }

    /** Measure, and measure again with the same CPUs if the placement did not hold. */
    static PinnedLatency measure(Placement placement, Measurement measurement) throws Exception {
        Latency first = measurement.measure(placement);
        if (placement.held()) {
            return new PinnedLatency(first, placement, 0);
        }
        Placement again = placement.fresh();
        return new PinnedLatency(measurement.measure(again), again, 1);
    }

    /**
     * A Java row: the calling thread is the sending side, pinned for the row and given its CPU set back after;
     * the round trip's echo side pins itself through {@link Placement#tick()}.
     */
    static PinnedLatency java(Placement placement, RoundTripFactory factory, int warmup, int iterations)
            throws Exception {
        return measure(placement, current -> {
            long[] mask = Affinity.currentMask();
            try {
                current.pin(0);
                try (RoundTrip roundTrip = factory.open(current)) {
                    Latency latency = Latency.measure(roundTrip, warmup, iterations);
                    current.sample(0);
                    return latency;
                }
            }
            finally {
                Affinity.restore(mask);
            }
        });
    }

    /** Opens a round trip whose echo side ticks the placement. */
    @FunctionalInterface
    interface RoundTripFactory {

        RoundTrip open(Placement placement) throws Exception;
    }

    /** The placement cell of the table, saying so when the row was rerun. */
    String cell() {
        return this.placement.cell() + ((this.reruns > 0) ? " (rerun)" : "");
    }

    /** The row as one line for a child JVM to hand to the harness: p50 p99 p99.9 held seen0 seen1 reruns. */
    String encode() {
        String[] seen = this.placement.seen().replace("cpu", "").split("\\+");
        return String.format(Locale.ROOT, "%f %f %f %d %s %s %d", this.latency.p50(), this.latency.p99(),
                this.latency.p999(), this.placement.held() ? 1 : 0, seen[0], seen[1], this.reruns);
    }

    /** Read a line of {@link #encode()} back, for the given intended placement. */
    static PinnedLatency decode(String line, Placement intended) {
        String[] fields = line.trim().split(" ");
        Placement placement = intended.fresh();
        placement.record(0, Integer.parseInt(fields[4]));
        placement.record(1, Integer.parseInt(fields[5]));
        if (!fields[3].equals("1")) {
            // a stray seen by a sample during the run, not at its end
            placement.markStray(0);
        }
        return new PinnedLatency(new Latency(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                Double.parseDouble(fields[2])), placement, Integer.parseInt(fields[6]));
    }
}
