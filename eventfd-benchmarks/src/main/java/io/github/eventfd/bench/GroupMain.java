package io.github.eventfd.bench;

import java.util.Map;

import io.github.eventfd.internal.NativeCalls;

/**
 * The entry point of a child JVM that measures the Java rows of one group ({@code pinned}, {@code channels}
 * or {@code contention}) on its own JDK and backend, and prints them as {@code ROW<tab>key<tab>values}.
 */
public final class GroupMain {

    static final String ROW = "ROW\t";

    private GroupMain() {
    }

    /**
     * Measure and print.
     * @param args the group, then {@code quick} or {@code full}
     * @throws Exception if a measurement fails
     */
    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 1 && args[1].equals("quick");
        Map<String, String> rows = switch (args[0]) {
            case "pinned" -> PinnedRoundTrips.javaRows(quick);
            case "channels" -> ManyChannels.javaRows(quick);
            case "contention" -> SignalContention.javaRows(quick);
            default -> throw new IllegalArgumentException("unknown group '" + args[0] + "'");
        };
        rows.forEach((key, value) -> System.out.println(ROW + key + "\t" + value));
        System.out.flush();
        System.exit(0);
    }

    /** The native backend of this JVM, as a label: JNA or FFM. */
    static String backend() {
        return NativeCalls.INSTANCE.name().toUpperCase(java.util.Locale.ROOT);
    }
}
