package io.github.eventfd.spring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What this JVM holds for eventfd channels, for tests that check that nothing outlives a context. */
final class EventFdResources {

    private EventFdResources() {
    }

    /** Open eventfd and epoll descriptors, from {@code /proc/self/fd}. */
    static long descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals("anon_inode:[eventfd]") || target.equals("anon_inode:[eventpoll]");
                }
                catch (IOException ex) {
                    // closed between listing and reading: not open any more
                    return false;
                }
            }).count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Names of the live threads the starter and the core start ({@code eventfd-*}), sorted. */
    static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("eventfd-")).sorted().toList();
    }
}
