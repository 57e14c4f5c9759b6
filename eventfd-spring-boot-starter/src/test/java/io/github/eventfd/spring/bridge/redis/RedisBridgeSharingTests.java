package io.github.eventfd.spring.bridge.redis;

import java.nio.file.Path;

import io.github.eventfd.share.ShareState;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.autoconfigure.EventFdRedisBridgeAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whole applications: "host a" is two application contexts sharing channel "orders" through a socket, "host b" one
 * context; Redis is the only path between the hosts.
 */
@EnabledOnOs(OS.LINUX)
class RedisBridgeSharingTests extends RedisTestSupport {

    @TempDir
    Path directory;

    private ApplicationContextRunner host(String id, boolean shared) {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdRedisBridgeAutoConfiguration.class, DataRedisAutoConfiguration.class))
                .withBean(TestListeners.SharedOrders.class)
                .withPropertyValues("spring.data.redis.port=" + this.redis.port(), "spring.data.redis.timeout=2s",
                        "eventfd.bridge.host-id=" + id, "eventfd.bridge.redis.channel-prefix=test:channel:",
                        "eventfd.bridge.redis.timeout=300ms", "eventfd.channels.orders.bridge=redis",
                        "eventfd.channels.orders.share.kind=broadcast");
        if (shared) {
            runner = runner.withPropertyValues(
                    "eventfd.channels.orders.share.socket=" + this.directory.resolve(id + "/orders.sock"),
                    "eventfd.channels.orders.share.reconnect-interval=20ms");
        }
        return runner;
    }

    private static TestListeners.SharedOrders listener(org.springframework.context.ApplicationContext context) {
        return context.getBean(TestListeners.SharedOrders.class);
    }

    @Test
    void whenTwoProcessesOfAHostShareABridgedBroadcastThenEachSignalReachesEveryProcessOnceAndHostsNeverEchoes() {
        host("host-a", true).run(server -> host("host-a", true).run(follower -> host("host-b", false).run(other -> {
            EventFdChannel serving = server.getBean(EventFdChannelRegistry.class).channel("orders");
            EventFdChannel following = follower.getBean(EventFdChannelRegistry.class).channel("orders");
            EventFdChannel remote = other.getBean(EventFdChannelRegistry.class).channel("orders");
            assertThat(serving.sharing()).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(ShareState.SERVING));
            assertThat(following.sharing()).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(ShareState.ATTACHED));
            await().until(() -> serving.sharing().get().peers().size() == 1);
            await().until(() -> FakeHost.subscribers(this.client) == 3);
            remote.signal(10);
            following.signal(5);
            serving.signal(2);
            // each process of host a: 10 from host b and 7 of its own host, through the sharing; host b: the 7
            await().until(() -> listener(server).received.get() == 17 && listener(follower).received.get() == 17);
            await().until(() -> listener(other).received.get() == 17);
            // a last signal from each host: whatever came before it has arrived, copies included
            remote.signal(1);
            serving.signal(1);
            await().until(() -> listener(server).received.get() == 19 && listener(follower).received.get() == 19
                    && listener(other).received.get() == 19);
            assertThat(remote.receivedCount()).isEqualTo(19);
        })));
    }

    @Test
    void whenTheServingProcessOfAHostGoesAwayThenTheOneThatTakesOverBridges() {
        host("host-a", true).run(survivor -> host("host-b", false).run(other -> {
            EventFdChannel remote = other.getBean(EventFdChannelRegistry.class).channel("orders");
            EventFdChannel surviving = survivor.getBean(EventFdChannelRegistry.class).channel("orders");
            host("host-a", true).run(leaving -> {
                // the context that started first serves; this one attaches, and stays after the other closes
            });
            await().until(() -> surviving.sharing().get().state() == ShareState.SERVING);
            await().until(() -> FakeHost.subscribers(this.client) == 2);
            remote.signal(3);
            await().until(() -> listener(survivor).received.get() == 3);
            remote.signal(1);
            await().until(() -> listener(survivor).received.get() == 4);
        }));
    }
}
