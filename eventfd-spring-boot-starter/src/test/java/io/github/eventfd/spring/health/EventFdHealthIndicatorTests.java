package io.github.eventfd.spring.health;

import java.time.Duration;
import java.util.List;

import io.github.eventfd.spring.ChannelDefinition;
import io.github.eventfd.spring.CounterImplementation;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.FallbackPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class EventFdHealthIndicatorTests {

    private static final EventFdChannelRegistry.Settings SETTINGS = new EventFdChannelRegistry.Settings(
            FallbackPolicy.IN_MEMORY, "test-poller", 8, Duration.ofSeconds(1));

    @Test
    void whenPollerFailedThenDownWithTheFailure() {
        EventFdChannelRegistry registry = new EventFdChannelRegistry(List.of(ChannelDefinition.withDefaults("a")),
                SETTINGS, Runnable::run, event -> { }) {
            @Override
            public Throwable pollerFailure() {
                return new IllegalStateException("epoll_wait(2) failed: EBADF");
            }
        };
        registry.start();
        try {
            Health health = new EventFdHealthIndicator(registry).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("pollerFailure").toString()).contains("EBADF");
        }
        finally {
            registry.destroy();
        }
    }

    @Test
    void whenRunningThenUpAndShowsInMemoryImplementation() {
        EventFdChannelRegistry registry = new EventFdChannelRegistry(List.of(ChannelDefinition.withDefaults("a")),
                SETTINGS, Runnable::run, event -> { });
        registry.start();
        try {
            Health health = new EventFdHealthIndicator(registry).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("implementation",
                    CounterImplementation.IN_MEMORY);
        }
        finally {
            registry.destroy();
        }
    }
}
