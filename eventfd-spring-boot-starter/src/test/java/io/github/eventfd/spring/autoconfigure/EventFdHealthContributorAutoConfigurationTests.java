package io.github.eventfd.spring.autoconfigure;

import java.util.Map;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.health.EventFdHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EventFdHealthContributorAutoConfiguration}: the {@code eventfd} health indicator and when it backs off. */
class EventFdHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class));

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenHealthSupportPresentThenIndicatorIsUpWithChannelDetails() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=semaphore").run(context -> {
            assertThat(context).hasBean("eventfdHealthIndicator");
            var health = context.getBean(EventFdHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("implementation", CounterImplementation.EVENTFD)
                    .containsEntry("delivering", true);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) health.getDetails().get("channels");
            assertThat(channels.get("orders")).containsEntry("mode", EventFdMode.SEMAPHORE);
        });
    }

    @Test
    void whenHealthIndicatorDisabledThenNoBean() {
        this.contextRunner.withPropertyValues("management.health.eventfd.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(EventFdHealthIndicator.class));
    }

    @Test
    void whenHealthModuleMissingThenNoIndicator() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdHealthContributorAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                        "org.springframework.boot.health"))
                .run(context -> assertThat(context).hasSingleBean(EventFdChannelRegistry.class)
                        .doesNotHaveBean(EventFdHealthIndicator.class));
    }

    @Test
    void whenUserDefinesTheIndicatorThenItIsUsed() {
        HealthIndicator mine = () -> Health.outOfService().build();
        this.contextRunner.withBean("eventfdHealthIndicator", HealthIndicator.class, () -> mine)
                .run(context -> assertThat(context).doesNotHaveBean(EventFdHealthIndicator.class)
                        .getBean("eventfdHealthIndicator").isSameAs(mine));
    }

    @Test
    void whenEventFdDisabledThenNoIndicator() {
        this.contextRunner.withPropertyValues("eventfd.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(EventFdHealthIndicator.class));
    }
}
