package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.metrics.EventFdListenerMetrics;
import io.github.eventfd.spring.metrics.EventFdMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for eventfd channels and listeners, when Micrometer and a meter registry are present.
 */
@AutoConfiguration(after = EventFdAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, EventFdChannelRegistry.class })
public final class EventFdMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventFdMetrics eventFdMetrics(EventFdChannelRegistry registry) {
        return new EventFdMetrics(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    EventFdListenerMetrics eventFdListenerMetrics(MeterRegistry meterRegistry) {
        return new EventFdListenerMetrics(meterRegistry);
    }
}
