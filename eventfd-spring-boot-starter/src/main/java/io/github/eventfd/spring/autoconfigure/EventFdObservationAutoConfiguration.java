package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.observation.EventFdListenerObservationConvention;
import io.github.eventfd.spring.observation.EventFdListenerObservationInterceptor;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer observations of {@code @EventFdListener} calls, when {@code eventfd.listener.observation-enabled}
 * is {@code true} and an {@link ObservationRegistry} bean exists. An
 * {@link EventFdListenerObservationConvention} bean replaces the default convention.
 */
@AutoConfiguration(after = EventFdAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, EventFdChannelRegistry.class })
@ConditionalOnBooleanProperty("eventfd.listener.observation-enabled")
public final class EventFdObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventFdListenerObservationInterceptor eventFdListenerObservationInterceptor(ObservationRegistry registry,
            ObjectProvider<EventFdListenerObservationConvention> convention) {
        return new EventFdListenerObservationInterceptor(registry, convention.getIfUnique());
    }
}
