package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.actuate.EventFdEndpoint;
import io.github.eventfd.spring.actuate.EventFdEndpointWebExtension;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code eventfd} actuator endpoint, when the actuator is present and the endpoint is available, and its web
 * extension when it is exposed over the web.
 */
@AutoConfiguration(after = EventFdAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({ EventFdChannelRegistry.class, EventFdChannelLifecycle.class })
public final class EventFdEndpointAutoConfiguration {

    /** Nested, so that the actuator's own condition is only read once the actuator is known to be present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(EventFdEndpoint.class)
    static class AvailableEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EventFdEndpoint eventFdEndpoint(EventFdChannelRegistry registry, EventFdChannelLifecycle lifecycle,
                ObjectProvider<Bridge> bridges) {
            return new EventFdEndpoint(registry, lifecycle, bridges.orderedStream().toList());
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(EventFdEndpoint.class)
        @ConditionalOnAvailableEndpoint(endpoint = EventFdEndpoint.class, exposure = EndpointExposure.WEB)
        EventFdEndpointWebExtension eventFdEndpointWebExtension(EventFdEndpoint endpoint) {
            return new EventFdEndpointWebExtension(endpoint);
        }
    }
}
