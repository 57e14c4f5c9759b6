package io.github.eventfd.spring.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.autoconfigure.EventFdRedisBridgeAutoConfiguration;
import io.github.eventfd.spring.autoconfigure.EventFdBridgeHealthContributorAutoConfiguration;
import io.github.eventfd.spring.autoconfigure.EventFdBridgeMetricsAutoConfiguration;
import io.github.eventfd.spring.health.EventFdBridgeHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Whole applications, one per "host", each with a listener on channel "orders", bridged through a real Redis. */
class RedisBridgeApplicationTests extends RedisTestSupport {

    private ApplicationContextRunner host(String id, String kind) {
        return producer(id, kind).withBean(TestListeners.SharedOrders.class);
    }

    /** A host without listeners on "orders". */
    private ApplicationContextRunner producer(String id, String kind) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdRedisBridgeAutoConfiguration.class, DataRedisAutoConfiguration.class,
                        EventFdBridgeMetricsAutoConfiguration.class, EventFdBridgeHealthContributorAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.port=" + this.redis.port(), "spring.data.redis.timeout=2s",
                        "eventfd.bridge.host-id=" + id, "eventfd.bridge.redis.channel-prefix=test:channel:",
                        "eventfd.bridge.redis.key-prefix=test:queue:", "eventfd.bridge.redis.timeout=300ms",
                        "eventfd.bridge.redis.claim-batch=8", "eventfd.channels.orders.bridge=redis",
                        "eventfd.channels.orders.share.kind=" + kind);
    }

    private static TestListeners.SharedOrders listener(ApplicationContext context) {
        return context.getBean(TestListeners.SharedOrders.class);
    }

    private static EventFdChannel orders(ApplicationContext context) {
        return context.getBean(EventFdChannelRegistry.class).channel("orders");
    }

    @Test
    void whenRedisIsPausedThenHealthIsDownAndAfterwardsTheCountsArriveWithAResyncEvent() {
        host("host-a", "broadcast").run(a -> host("host-b", "broadcast").run(b -> {
            await().until(() -> FakeHost.subscribers(this.client) == 2);
            orders(a).signal();
            await().until(() -> listener(b).received.get() == 1);
            EventFdBridgeHealthIndicator health = a.getBean(EventFdBridgeHealthIndicator.class);
            // up before the pause; a command slower than the 300 ms timeout on a busy machine is an outage of its
            // own for as long as it runs, so it is waited for rather than read at one instant
            await().until(() -> health.health(true).getStatus().equals(Status.UP));
            this.redis.pause();
            try {
                orders(a).signal(5);
                // both hosts see the outage while it lasts: a sending, b checking Redis while idle
                await().until(() -> health.health(true).getStatus().equals(Status.DOWN));
                await().until(() -> b.getBean(EventFdBridgeHealthIndicator.class).health(true).getStatus()
                        .equals(Status.DOWN));
                MeterRegistry meters = a.getBean(MeterRegistry.class);
                assertThat(meters.get("eventfd.bridge.connected").tag("engine", "redis").gauge().value()).isZero();
                assertThat(meters.get("eventfd.bridge.outage").timeGauge().value()).isPositive();
                // local delivery is untouched (it runs on the channel's own thread, whatever the bridge does)
                await().until(() -> listener(a).received.get() == 6);
            }
            finally {
                this.redis.unpause();
            }
            await().until(() -> listener(b).received.get() == 6);
            await().until(() -> !listener(a).resyncEvents.isEmpty() && !listener(b).resyncEvents.isEmpty());
            assertThat(listener(b).resyncEvents.get(0).getReason()).contains("Redis");
            await().until(() -> health.health(true).getStatus().equals(Status.UP));
            MeterRegistry meters = a.getBean(MeterRegistry.class);
            // a's bridge counts the message as sent when Redis's reply reaches its thread: after b may have it
            await().until(() -> meters.get("eventfd.bridge.sent").tags("engine", "redis", "channel", "orders")
                    .functionCounter().count() == 6);
            assertThat(b.getBean(MeterRegistry.class).get("eventfd.bridge.received").tag("channel", "orders")
                    .functionCounter().count()).isEqualTo(6);
        }));
    }

    @Test
    void whenHostsShareABridgedQueueThenEveryUnitReachesExactlyOneListener() {
        host("host-a", "queue").run(a -> host("host-b", "queue").run(b -> host("host-c", "queue").run(c -> {
            await().until(() -> FakeHost.subscribers(this.client) == 3);
            for (int i = 0; i < 200; i++) {
                orders(a).signal();
            }
            orders(c).signal(50);
            await().until(() -> listener(a).received.get() + listener(b).received.get()
                    + listener(c).received.get() == 250);
            await().until(() -> queued() == 0);
            assertThat(listener(a).received.get() + listener(b).received.get() + listener(c).received.get())
                    .isEqualTo(250);
            assertThat(orders(a).pendingCount() + orders(b).pendingCount() + orders(c).pendingCount()).isZero();
        })));
    }

    @Test
    void whenAHostHasNoListenerThenItNeverClaimsUnitsOfABridgedQueue() {
        producer("host-a", "queue").run(a -> host("host-b", "queue").run(b -> {
            await().until(() -> FakeHost.subscribers(this.client) == 2);
            for (int i = 0; i < 100; i++) {
                orders(a).signal();
            }
            await().until(() -> listener(b).received.get() == 100);
            await().until(() -> queued() == 0);
            assertThat(orders(a).pendingCount()).isZero();
            assertThat(orders(a).receivedCount()).isZero();
        }));
    }

    @Test
    void whenRedisIsDownThenABridgedQueueDeliversItsOwnSignalsLocally() {
        host("host-a", "queue").run(a -> {
            await().until(() -> FakeHost.subscribers(this.client) == 1);
            orders(a).signal(2);
            await().until(() -> listener(a).received.get() == 2);
            this.redis.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.getBean(EventFdBridgeHealthIndicator.class)
                    .health(true).getStatus().equals(Status.DOWN));
            // Redis is known to be gone: what is signalled now cannot reach another host, so it is delivered here
            orders(a).signal(10);
            await().until(() -> listener(a).received.get() == 12);
            this.redis.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.getBean(EventFdBridgeHealthIndicator.class)
                    .health(true).getStatus().equals(Status.UP));
            await().until(() -> !listener(a).resyncEvents.isEmpty());
            orders(a).signal(5);
            await().until(() -> listener(a).received.get() == 17);
        });
    }

    private long queued() {
        try (var connection = this.client.getConnection()) {
            byte[] value = connection.stringCommands().get("test:queue:{orders}".getBytes(StandardCharsets.UTF_8));
            return (value != null) ? Long.parseLong(new String(value, StandardCharsets.UTF_8)) : 0;
        }
    }
}
