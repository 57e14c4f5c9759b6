package io.github.eventfd.spring.health;

import java.time.Duration;
import java.util.List;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.FallbackPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class EventFdHealthIndicatorTests {

    private static final EventFdChannelLifecycle.Settings SETTINGS = new EventFdChannelLifecycle.Settings(
            "test-poller", 8, Duration.ofSeconds(1));

    private final EventFdChannelRegistry registry = new EventFdChannelRegistry(
            List.of(ChannelDefinition.withDefaults("a")), new EventFdChannelFactory(FallbackPolicy.IN_MEMORY, event -> { }));

    @AfterEach
    void closeChannels() {
        this.registry.destroy();
    }

    @Test
    void whenPollerFailedThenDownWithTheFailure() {
        EventFdChannelLifecycle lifecycle = new EventFdChannelLifecycle(this.registry, SETTINGS, Runnable::run) {
            @Override
            public Throwable pollerFailure() {
                return new IllegalStateException("epoll_wait(2) failed: EBADF");
            }
        };
        lifecycle.start();
        try {
            Health health = new EventFdHealthIndicator(this.registry, lifecycle).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("pollerFailure").toString()).contains("EBADF");
        }
        finally {
            lifecycle.stop();
        }
    }

    @Test
    void whenRunningThenUpAndShowsInMemoryImplementation() {
        EventFdChannelLifecycle lifecycle = new EventFdChannelLifecycle(this.registry, SETTINGS, Runnable::run);
        lifecycle.start();
        try {
            Health health = new EventFdHealthIndicator(this.registry, lifecycle).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("implementation",
                    CounterImplementation.IN_MEMORY);
        }
        finally {
            lifecycle.stop();
        }
    }
}
