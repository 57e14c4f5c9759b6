package io.github.eventfd;

import java.lang.management.ManagementFactory;

/**
 * What a piece of code allocates on the calling thread once the JIT has compiled it. Escape analysis removes
 * short-lived objects only from code the optimizing compiler has compiled, which a busy machine may delay past any
 * fixed warm-up: the work runs in rounds until one allocates less than the bound, or the rounds run out. An object
 * the code really allocates each time shows in every round.
 */
public final class SteadyAllocation {

    private static final int ROUNDS = 20;

    private SteadyAllocation() {
    }

    /**
     * Run {@code work} until one run allocates fewer than {@code bound} bytes on this thread, 20 runs at most.
     * @param work what to measure, warm or not
     * @param bound the bytes one run must stay under
     * @return the fewest bytes one run allocated
     */
    public static long leastBytes(Runnable work, long bound) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && least >= bound; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            work.run();
            least = Math.min(least, threads.getThreadAllocatedBytes(thread) - before);
        }
        return least;
    }
}
