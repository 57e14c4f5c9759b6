package io.github.eventfd.bench;

import java.util.concurrent.TimeUnit;

import io.github.eventfd.EventFd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of one {@code signal()}: a write(2) of 8 bytes through the JNA binding. Nobody reads, so the counter
 * only grows; it cannot reach its maximum in a benchmark's lifetime.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SignalBenchmark {

    private EventFd eventFd;

    @Setup
    public void open() {
        this.eventFd = EventFd.create();
    }

    @TearDown
    public void close() {
        this.eventFd.close();
    }

    @Benchmark
    public void signal() {
        this.eventFd.signal();
    }

    @Benchmark
    public void signalThree() {
        this.eventFd.signal(3);
    }
}
