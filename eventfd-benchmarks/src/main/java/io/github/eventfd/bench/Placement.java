package io.github.eventfd.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Where the two threads of a round trip must run (side 0 sends and measures, side 1 echoes), and where
 * they were seen running: each side pins itself, then samples its CPU now and then and at the end.
 */
final class Placement {

    /** How many round trips pass between two samples of the CPU on the echo side. */
    static final int SAMPLE_EVERY = 1024;

    private final int[] cpus;

    private final AtomicIntegerArray seen = new AtomicIntegerArray(new int[] { -1, -1 });

    private final AtomicIntegerArray strays = new AtomicIntegerArray(2);

    /** Round trips the echo side has answered; written by one echo thread at a time. */
    private int echoTicks;

    /** Whether the calling echo thread has pinned itself (an executor may answer on several threads). */
    private final ThreadLocal<Boolean> pinnedHere = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Placement(int sender, int echo) {
        this.cpus = new int[] { sender, echo };
    }

    /** Both threads on one CPU. */
    static Placement sameCpu(int cpu) {
        return new Placement(cpu, cpu);
    }

    /** The two threads on two fixed CPUs. */
    static Placement crossCpu(int sender, int echo) {
        return new Placement(sender, echo);
    }

    /** The same CPUs, with nothing seen yet: for a rerun. */
    Placement fresh() {
        return new Placement(this.cpus[0], this.cpus[1]);
    }

    int cpu(int side) {
        return this.cpus[side];
    }

    /** Pin the calling thread as side {@code side} and take a first sample. */
    void pin(int side) {
        Affinity.pin(this.cpus[side]);
        sample(side);
    }

    /** Record the CPU the calling thread (side {@code side}) runs on now. */
    void sample(int side) {
        record(side, Affinity.currentCpu());
    }

    /** Record a CPU that side {@code side} was seen on (by the C program, say). */
    void record(int side, int cpu) {
        this.seen.set(side, cpu);
        if (cpu != this.cpus[side]) {
            this.strays.incrementAndGet(side);
        }
    }

    /** Record that side {@code side} was seen off its CPU by a sample not recorded here. */
    void markStray(int side) {
        this.strays.incrementAndGet(side);
    }

    /**
     * Called by the echo side once per answer: the first answer on a thread pins it (a poller thread or a
     * listener pins itself this way), and every {@link #SAMPLE_EVERY}th answer samples its CPU.
     */
    void tick() {
        if (!this.pinnedHere.get()) {
            pin(1);
            this.pinnedHere.set(Boolean.TRUE);
        }
        if ((++this.echoTicks & (SAMPLE_EVERY - 1)) == 0) {
            sample(1);
        }
    }

    /** Whether both sides were seen, and only where intended. */
    boolean held() {
        return this.seen.get(0) >= 0 && this.seen.get(1) >= 0 && this.strays.get(0) == 0 && this.strays.get(1) == 0;
    }

    /** The intended placement, as printed in the table: {@code cpu0+cpu1}. */
    String intended() {
        return "cpu" + this.cpus[0] + "+cpu" + this.cpus[1];
    }

    /** The last CPUs seen, for a row that did not hold. */
    String seen() {
        return "cpu" + this.seen.get(0) + "+cpu" + this.seen.get(1);
    }

    /** The placement cell: the intended CPUs, with what was seen if that differs. */
    String cell() {
        return held() ? intended() : intended() + " NOT HELD (seen " + seen() + ")";
    }
}
