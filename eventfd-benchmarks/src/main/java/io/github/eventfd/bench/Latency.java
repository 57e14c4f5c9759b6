package io.github.eventfd.bench;

import org.HdrHistogram.Histogram;

/**
 * Round-trip latency percentiles in microseconds.
 *
 * @param p50 median
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 */
record Latency(double p50, double p99, double p999) {

    /** Run {@code warmup} round trips unmeasured, then record {@code iterations} of them. */
    static Latency measure(RoundTrip roundTrip, int warmup, int iterations) throws Exception {
        for (int i = 0; i < warmup; i++) {
            roundTrip.roundTrip();
        }
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            roundTrip.roundTrip();
            histogram.recordValue(System.nanoTime() - start);
        }
        return fromNanos(histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9));
    }

    static Latency fromNanos(double p50, double p99, double p999) {
        return new Latency(p50 / 1000.0, p99 / 1000.0, p999 / 1000.0);
    }
}
