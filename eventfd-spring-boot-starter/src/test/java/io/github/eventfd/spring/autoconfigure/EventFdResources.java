package io.github.eventfd.spring.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import io.github.eventfd.ProcFs;

/** What this JVM holds for eventfd channels, for tests that check that nothing outlives a context. */
final class EventFdResources {

    private EventFdResources() {
    }

    /** Open eventfd and epoll descriptors, counted where the core's tests count them. */
    static long descriptors() {
        return ProcFs.openFdCount();
    }

    /** The live threads the starter and the core start ({@code eventfd-*}), as threads: names repeat. */
    static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("eventfd-"))
                .collect(Collectors.toUnmodifiableSet());
    }
}
