package io.github.eventfd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;

/**
 * What the poller thread costs while nothing is signalled: CPU time and times it was scheduled, read from
 * {@code /proc/self/task/<tid>/schedstat} and {@code status}.
 *
 * @param seconds how long it was watched
 * @param cpuNanos CPU time it used meanwhile
 * @param wakeups times it was scheduled meanwhile (schedstat timeslices)
 * @param contextSwitches voluntary and involuntary context switches meanwhile
 */
record IdleCost(double seconds, long cpuNanos, long wakeups, long contextSwitches) {

    private static final String THREAD = "bench-idle";

    static IdleCost measure(Duration watch, int channels) throws Exception {
        List<EventFd> eventFds = new ArrayList<>();
        try (EventFdPoller poller = EventFdPoller.builder().threadName(THREAD).start()) {
            for (int i = 0; i < channels; i++) {
                EventFd eventFd = EventFd.create();
                eventFds.add(eventFd);
                poller.register(eventFd, (fd, count) -> { });
            }
            Thread.sleep(200);
            Path task = task();
            long[] before = schedstat(task);
            long switchesBefore = switches(task);
            Thread.sleep(watch.toMillis());
            long[] after = schedstat(task);
            return new IdleCost(watch.toMillis() / 1000.0, after[0] - before[0], after[2] - before[2],
                    switches(task) - switchesBefore);
        }
        finally {
            eventFds.forEach(EventFd::close);
        }
    }

    private static Path task() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip().equals(THREAD);
                }
                catch (IOException ex) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new IOException("no task named " + THREAD));
        }
    }

    private static long[] schedstat(Path task) throws IOException {
        String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
        return new long[] { Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]) };
    }

    private static long switches(Path task) throws IOException {
        return Files.readString(task.resolve("status")).lines().filter(line -> line.contains("ctxt_switches:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).sum();
    }
}
