package io.github.eventfd.spring.autoconfigure;

import java.util.UUID;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgeEngine;
import io.github.eventfd.spring.bridge.redis.RedisBridge;
import io.github.eventfd.spring.bridge.redis.RedisBridgeSettings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Carrying channels across hosts: attaches the channels configured with {@code eventfd.channels.<name>.bridge} to
 * their engine's bridge, and declares the Redis bridge where a channel asks for it and Spring Data Redis and a
 * {@code RedisConnectionFactory} are present (it backs off otherwise; a channel that asks for it then fails startup,
 * naming its property). Without a bridged channel no bridge is made: no thread, no host name lookup, no bridge
 * health or meters.
 */
@AutoConfiguration(after = EventFdAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(EventFd.class)
@ConditionalOnBooleanProperty(name = "eventfd.enabled", matchIfMissing = true)
@ConditionalOnBean(EventFdChannelRegistry.class)
public final class EventFdBridgeAutoConfiguration {

    @Bean
    static ChannelBridgeAttacher eventFdChannelBridgeAttacher(EventFdChannelRegistry registry,
            EventFdProperties properties, ObjectProvider<Bridge> bridges) {
        return new ChannelBridgeAttacher(registry, properties, bridges);
    }

    /** The Redis bridge, where Spring Data Redis is on the class path and a channel asks for it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisConnectionFactory.class)
    @ConditionalOnBean(RedisConnectionFactory.class)
    @ConditionalOnBridgedChannel(BridgeEngine.REDIS)
    static class RedisBridgeConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RedisBridge eventFdRedisBridge(RedisConnectionFactory connectionFactory, EventFdProperties properties) {
            EventFdProperties.Redis redis = properties.getBridge().getRedis();
            RedisBridgeSettings settings = new RedisBridgeSettings(redis.getChannelPrefix(), redis.getKeyPrefix(),
                    redis.getFlushInterval(), redis.getClaimBatch(), redis.getTimeout());
            String host = ChannelBridgeAttacher.hostId(properties.getBridge().getHostId());
            String sender = host + "/" + ProcessHandle.current().pid() + "/"
                    + UUID.randomUUID().toString().substring(0, 8);
            return new RedisBridge(connectionFactory, settings, sender.length() <= 128 ? sender
                    : sender.substring(sender.length() - 128));
        }
    }
}
