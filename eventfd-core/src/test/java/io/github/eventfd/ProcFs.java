package io.github.eventfd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads what the kernel says about this process, for assertions; the one place tests count descriptors. */
public final class ProcFs {

    /** EPOLLERR and EPOLLHUP: epoll_ctl adds them to every interest. */
    private static final int ALWAYS_REPORTED = 0x008 | 0x010;

    private ProcFs() {
    }

    /**
     * How many eventfd and epoll descriptors this process has open. Other descriptors come and go with the
     * JVM's own work (jar files, sockets), so they are left out of leak checks.
     * @return the count
     */
    public static long openFdCount() {
        return openFdCount(target -> target.equals("anon_inode:[eventfd]") || target.equals("anon_inode:[eventpoll]"));
    }

    /**
     * How many anonymous-inode and socket descriptors this process has open: what process sharing opens.
     * @return the count
     */
    public static long openSharingFdCount() {
        return openFdCount(target -> target.startsWith("anon_inode:") || target.startsWith("socket:"));
    }

    private static long openFdCount(Predicate<String> target) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            // a descriptor closed between listing and reading (the listing's own) reads as "" and is not open
            return fds.map(fd -> fdTarget(Integer.parseInt(fd.getFileName().toString()))).filter(target).count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * What a descriptor of this process refers to.
     * @param fd the descriptor
     * @return the link target, or "" if it is not open
     */
    public static String fdTarget(int fd) {
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

    /**
     * The interest an epoll instance of this process holds in a descriptor, as its fdinfo shows it
     * ({@code tfd: <fd> events: <hex>}): after a one-shot event fired, the kernel keeps only the one-shot bit
     * until a re-arm. Searches every epoll descriptor of the process.
     * @param fd the watched descriptor
     * @return the event bits without EPOLLERR and EPOLLHUP, which the kernel adds to every interest; empty
     * if no epoll instance watches the descriptor
     */
    static Optional<Integer> epollInterest(int fd) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            List<Integer> epolls = fds.map(path -> Integer.parseInt(path.getFileName().toString()))
                    .filter(number -> fdTarget(number).equals("anon_inode:[eventpoll]")).toList();
            for (int epoll : epolls) {
                String info;
                try {
                    info = Files.readString(Path.of("/proc/self/fdinfo/" + epoll));
                }
                catch (IOException ex) {
                    continue;
                }
                for (String line : info.lines().toList()) {
                    String[] words = line.trim().split("\\s+");
                    if (words.length >= 4 && words[0].equals("tfd:") && words[1].equals(Integer.toString(fd))
                            && words[2].equals("events:")) {
                        return Optional.of(Integer.parseUnsignedInt(words[3], 16) & ~ALWAYS_REPORTED);
                    }
                }
            }
            return Optional.empty();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Whether a task sleeps in epoll_wait(2): asleep ({@code S} in its stat) in one of the system calls a C
     * library makes for it (epoll_wait and epoll_pwait on x86-64, epoll_pwait elsewhere, or epoll_pwait2).
     */
    static boolean sleepsInEpollWait(Path task) {
        String[] syscall = read(task.resolve("syscall")).trim().split(" ");
        String stat = read(task.resolve("stat"));
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        if (state != 'S' || !syscall[0].matches("\\d+")) {
            return false;
        }
        int number = Integer.parseInt(syscall[0]);
        boolean x86 = System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("x86_64");
        return number == 441 || (x86 ? number == 232 || number == 281 : number == 22);
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
