package io.github.eventfd.spring.autoconfigure;

import java.util.UUID;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.bridge.BridgeEngine;
import io.github.eventfd.spring.bridge.redis.RedisBridge;
import io.github.eventfd.spring.bridge.redis.RedisBridgeSettings;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The Redis bridge, where Spring Data Redis and a {@code RedisConnectionFactory} are present and a channel asks for
 * it ({@code eventfd.channels.<name>.bridge=redis}); {@link EventFdAutoConfiguration} attaches the channels to
 * it. An auto-configuration of its own, not a class nested in that one: without Spring Data Redis, Boot leaves it
 * out from the starter's auto-configuration metadata alone, without reading its class file.
 */
@AutoConfiguration(after = EventFdAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ EventFd.class, RedisConnectionFactory.class })
@ConditionalOnBooleanProperty(name = "eventfd.enabled", matchIfMissing = true)
@ConditionalOnBean({ EventFdChannelRegistry.class, RedisConnectionFactory.class })
@ConditionalOnBridgedChannel(BridgeEngine.REDIS)
public final class EventFdRedisBridgeAutoConfiguration {

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
