package io.github.eventfd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads what the kernel says about this process, for assertions. */
final class ProcFs {

    private ProcFs() {
    }

    /**
     * How many eventfd and epoll descriptors this process has open. Other descriptors come and go with the
     * JVM's own work (jar files, sockets), so they are left out of leak checks.
     */
    static long openFdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> fdTarget(Integer.parseInt(fd.getFileName().toString())))
                    .filter(target -> target.equals("anon_inode:[eventfd]") || target.equals("anon_inode:[eventpoll]"))
                    .count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String fdInfo(int fd) {
        try {
            return Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static int fdInfoFlags(int fd) {
        return fdInfo(fd).lines().filter(line -> line.startsWith("flags:")).findFirst()
                .map(line -> Integer.parseInt(line.substring("flags:".length()).trim(), 8)).orElseThrow();
    }

    static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        }
        catch (IOException ex) {
            return "";
        }
    }

    /** The kernel task of the thread with this name (as /proc shows it: at most 15 characters). */
    static Optional<Path> task(String threadName) {
        String comm = threadName.length() > 15 ? threadName.substring(0, 15) : threadName;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> comm.equals(read(task.resolve("comm")).strip())).findFirst();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Voluntary plus involuntary context switches of a task: each one is a wake-up. */
    static long contextSwitches(Path task) {
        return read(task.resolve("status")).lines().filter(line -> line.contains("ctxt_switches:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).sum();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
