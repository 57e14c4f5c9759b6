package io.github.eventfd.bench;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Pins the calling thread to one CPU and tells which CPU it runs on: {@code sched_setaffinity(0, ...)} and
 * {@code sched_getcpu()} from libc, bound with JNA's direct mapping. The benchmark's only native calls of
 * its own.
 */
final class Affinity {

    private static final int MASK_WORDS = 16;

    private static final Throwable LINK_ERROR = link();

    private Affinity() {
    }

    private static Throwable link() {
        try {
            Native.register(Affinity.class, Platform.C_LIBRARY_NAME);
            return null;
        }
        catch (Throwable ex) {
            return ex;
        }
    }

    private static native int sched_setaffinity(int pid, long size, long[] mask);

    private static native int sched_getaffinity(int pid, long size, long[] mask);

    private static native int sched_getcpu();

    /** The calling thread's current CPU set, to restore after a pinned row. */
    static long[] currentMask() {
        ensureLinked();
        long[] mask = new long[MASK_WORDS];
        if (sched_getaffinity(0, mask.length * 8L, mask) != 0) {
            throw new IllegalStateException("sched_getaffinity failed, errno " + Native.getLastError());
        }
        return mask;
    }

    /** Run the calling thread on {@code cpu} only. */
    static void pin(int cpu) {
        long[] mask = new long[MASK_WORDS];
        mask[cpu / 64] = 1L << (cpu % 64);
        restore(mask);
    }

    /** Give the calling thread a CPU set back, as {@link #currentMask()} returned it. */
    static void restore(long[] mask) {
        ensureLinked();
        if (sched_setaffinity(0, mask.length * 8L, mask) != 0) {
            throw new IllegalStateException("sched_setaffinity failed, errno " + Native.getLastError());
        }
    }

    /** The CPU the calling thread runs on now. */
    static int currentCpu() {
        ensureLinked();
        return sched_getcpu();
    }

    private static void ensureLinked() {
        if (LINK_ERROR != null) {
            throw new IllegalStateException("cannot bind sched_setaffinity from libc", LINK_ERROR);
        }
    }
}
