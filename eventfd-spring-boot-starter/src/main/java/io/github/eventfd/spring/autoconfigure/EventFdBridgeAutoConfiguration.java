package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.bridge.Bridge;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Carrying channels across hosts: attaches the channels configured with {@code eventfd.channels.<name>.bridge} to
 * their engine's bridge, which {@link EventFdRedisBridgeAutoConfiguration} declares (a channel that asks for an
 * engine that is not there fails startup, naming its property). Without a bridged channel this configuration is
 * not processed at all, and no bridge is made: no thread, no host name lookup, no bridge health or meters.
 */
@AutoConfiguration(after = EventFdAutoConfiguration.class)
@ConditionalOnClass(EventFd.class)
@ConditionalOnBooleanProperty(name = "eventfd.enabled", matchIfMissing = true)
@ConditionalOnBean(EventFdChannelRegistry.class)
@ConditionalOnBridgedChannel
public final class EventFdBridgeAutoConfiguration {

    @Bean
    static ChannelBridgeAttacher eventFdChannelBridgeAttacher(EventFdChannelRegistry registry,
            EventFdProperties properties, ObjectProvider<Bridge> bridges) {
        return new ChannelBridgeAttacher(registry, properties, bridges);
    }
}
