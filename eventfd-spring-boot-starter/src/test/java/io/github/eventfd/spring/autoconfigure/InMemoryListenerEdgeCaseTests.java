package io.github.eventfd.spring.autoconfigure;

/** The listener edge cases on in-memory channels ({@code eventfd.fallback=in-memory}). */
class InMemoryListenerEdgeCaseTests extends AbstractListenerEdgeCaseTests {

    @Override
    protected String fallback() {
        return "in-memory";
    }
}
