package io.github.eventfd.bench;

import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Dispatch throughput: one thread signals as fast as it can, the poller delivers to an inline callback.
 * The score is signals sent per second; the counters show what was delivered and in how many wake-ups.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
public class DispatchBenchmark {

    final LongAdder delivered = new LongAdder();

    final LongAdder wakeups = new LongAdder();

    private EventFd eventFd;

    private EventFdPoller poller;

    @Setup
    public void start() {
        this.eventFd = EventFd.create();
        this.poller = EventFdPoller.builder().threadName("bench-dispatch").start();
        this.poller.register(this.eventFd, (fd, count) -> {
            this.delivered.add(count);
            this.wakeups.increment();
        });
    }

    @TearDown
    public void stop() {
        this.poller.close();
        this.eventFd.close();
    }

    @Benchmark
    public void signal(Delivery delivery) {
        this.eventFd.signal();
    }

    /** Deliveries per iteration, reported by JMH as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivery {

        public long delivered;

        public long wakeups;

        private long deliveredAtStart;

        private long wakeupsAtStart;

        @Setup(Level.Iteration)
        public void mark(DispatchBenchmark benchmark) {
            this.deliveredAtStart = benchmark.delivered.sum();
            this.wakeupsAtStart = benchmark.wakeups.sum();
            this.delivered = 0;
            this.wakeups = 0;
        }

        @TearDown(Level.Iteration)
        public void count(DispatchBenchmark benchmark) {
            this.delivered = benchmark.delivered.sum() - this.deliveredAtStart;
            this.wakeups = benchmark.wakeups.sum() - this.wakeupsAtStart;
        }
    }
}
