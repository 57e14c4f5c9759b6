package io.github.eventfd.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A small property-based test runner: generates random operation sequences from a seed, checks each,
 * and on a failure shrinks the sequence (dropping ever smaller chunks while it still fails) and reports
 * the seed and the shrunk sequence, so the failure can be replayed.
 */
final class PropertyRunner {

    private PropertyRunner() {
    }

    /** Checks one sequence: returns {@code null} when it holds, or what went wrong. */
    @FunctionalInterface
    interface Check<T> {

        String check(List<T> sequence) throws Exception;
    }

    /**
     * Run {@code tries} sequences.
     * @return how many sequences were checked
     */
    static <T> int forAll(String property, int tries, Function<Random, List<T>> generator, Check<T> check)
            throws Exception {
        long seed = Long.getLong("model.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int i = 0; i < tries; i++) {
            List<T> sequence = generator.apply(random);
            String failure = check.check(sequence);
            if (failure != null) {
                List<T> shrunk = shrink(sequence, check);
                throw new AssertionError(property + " failed on try " + i + " (replay with -Dmodel.seed=" + seed + ")\n"
                        + "shrunk sequence (" + shrunk.size() + " of " + sequence.size() + " steps): " + shrunk + "\n"
                        + "failure: " + check.check(shrunk));
            }
        }
        return tries;
    }

    private static <T> List<T> shrink(List<T> failing, Check<T> check) throws Exception {
        List<T> current = failing;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
            boolean removed = true;
            while (removed) {
                removed = false;
                for (int start = 0; start + chunk <= current.size(); start += chunk) {
                    List<T> candidate = new ArrayList<>(current.subList(0, start));
                    candidate.addAll(current.subList(start + chunk, current.size()));
                    if (!candidate.isEmpty() && check.check(candidate) != null) {
                        current = candidate;
                        removed = true;
                        break;
                    }
                }
            }
        }
        return current;
    }
}
