package io.github.eventfd.spring.autoconfigure;

/** The listener edge cases on eventfd-backed channels ({@code eventfd.fallback=fail}). */
class EventFdListenerEdgeCaseTests extends AbstractListenerEdgeCaseTests {

    @Override
    protected String fallback() {
        return "fail";
    }
}
