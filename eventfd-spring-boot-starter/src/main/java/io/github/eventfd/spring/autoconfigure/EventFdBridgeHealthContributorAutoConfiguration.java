package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.health.EventFdBridgeHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code eventfdBridge} health indicator, when Spring Boot's health support and a bridge are present.
 */
@AutoConfiguration(after = EventFdRedisBridgeAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Bridge.class)
public final class EventFdBridgeHealthContributorAutoConfiguration {

    /** Nested, so that the health module's own condition is only read once that module is known to be present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("eventfd-bridge")
    static class EnabledHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "eventfdBridgeHealthIndicator")
        EventFdBridgeHealthIndicator eventfdBridgeHealthIndicator(ObjectProvider<Bridge> bridges) {
            return new EventFdBridgeHealthIndicator(bridges.orderedStream().toList());
        }
    }
}
