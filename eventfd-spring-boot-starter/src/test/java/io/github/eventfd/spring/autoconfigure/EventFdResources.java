package io.github.eventfd.spring.autoconfigure;

import java.util.List;

import io.github.eventfd.ProcFs;

/** What this JVM holds for eventfd channels, for tests that check that nothing outlives a context. */
final class EventFdResources {

    private EventFdResources() {
    }

    /** Open eventfd and epoll descriptors, counted where the core's tests count them. */
    static long descriptors() {
        return ProcFs.openFdCount();
    }

    /** Names of the live threads the starter and the core start ({@code eventfd-*}), sorted. */
    static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("eventfd-")).sorted().toList();
    }
}
