package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.health.EventFdHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code eventfd} health indicator, when Spring Boot's health support is present.
 */
@AutoConfiguration(after = EventFdAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ EventFdChannelRegistry.class, EventFdChannelLifecycle.class })
public final class EventFdHealthContributorAutoConfiguration {

    /** Nested, so that the health module's own condition is only read once that module is known to be present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("eventfd")
    static class EnabledHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "eventfdHealthIndicator")
        EventFdHealthIndicator eventfdHealthIndicator(EventFdChannelRegistry registry,
                EventFdChannelLifecycle lifecycle) {
            return new EventFdHealthIndicator(registry, lifecycle);
        }
    }
}
