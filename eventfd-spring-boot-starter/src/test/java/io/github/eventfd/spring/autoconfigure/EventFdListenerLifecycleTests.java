package io.github.eventfd.spring.autoconfigure;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Lifecycle over eventfds and the epoll poller: pausing leaves the signals in the kernel counter. */
@EnabledOnOs(OS.LINUX)
class EventFdListenerLifecycleTests extends AbstractListenerLifecycleTests {

    @Override
    protected String fallback() {
        return "fail";
    }
}
