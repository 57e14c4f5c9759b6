package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.metrics.EventFdBridgeMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the bridges, when Micrometer, a meter registry and a bridge are present.
 */
@AutoConfiguration(after = EventFdRedisBridgeAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, Bridge.class })
public final class EventFdBridgeMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventFdBridgeMetrics eventFdBridgeMetrics(ObjectProvider<Bridge> bridges) {
        return new EventFdBridgeMetrics(bridges.orderedStream().toList());
    }
}
