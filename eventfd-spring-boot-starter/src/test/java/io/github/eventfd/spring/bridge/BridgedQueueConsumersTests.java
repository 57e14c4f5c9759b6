package io.github.eventfd.spring.bridge;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.autoconfigure.EventFdRedisBridgeAutoConfiguration;
import io.github.eventfd.spring.bridge.redis.RedisBridge;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a host has consumers for a bridged queue now: a bridged queue claims units from Redis only then, so a
 * host whose consumers cannot take units must not claim them away from the hosts that can. No Redis is needed.
 */
class BridgedQueueConsumersTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdRedisBridgeAutoConfiguration.class, DataRedisAutoConfiguration.class))
            .withBean(TestListeners.SharedOrders.class)
            .withPropertyValues("eventfd.channels.orders.bridge=redis", "eventfd.channels.orders.share.kind=queue",
                    "eventfd.bridge.host-id=host-a",
                    // nothing listens there: the bridge only tries to connect
                    "spring.data.redis.port=1");

    @Test
    void whenTheChannelIsPausedThenTheHostHasNoConsumerToClaimFor() {
        this.contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            BridgedChannel bridged = context.getBean(RedisBridge.class).channels().get(0);
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            assertThat(bridged.hasLocalConsumers()).isTrue();
            orders.pause();
            assertThat(bridged.hasLocalConsumers()).isFalse();
            orders.resume();
            assertThat(bridged.hasLocalConsumers()).isTrue();
        });
    }

    @Test
    void whenEveryListenerOfTheChannelIsStoppedThenTheHostHasNoConsumerToClaimFor() {
        this.contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            BridgedChannel bridged = context.getBean(RedisBridge.class).channels().get(0);
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            orders.listenerContainers().forEach(listener -> listener.stop());
            assertThat(bridged.hasLocalConsumers()).isFalse();
            orders.listenerContainers().forEach(listener -> listener.start());
            assertThat(bridged.hasLocalConsumers()).isTrue();
        });
    }
}
