package io.github.eventfd.spring.autoconfigure;

/** Lifecycle over in-JVM counters, as where eventfd is missing. */
class InMemoryListenerLifecycleTests extends AbstractListenerLifecycleTests {

    @Override
    protected String fallback() {
        return "in-memory";
    }
}
