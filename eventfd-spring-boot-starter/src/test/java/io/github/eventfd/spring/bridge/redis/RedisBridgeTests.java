package io.github.eventfd.spring.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.eventfd.spring.bridge.BridgeErrorReason;
import io.github.eventfd.spring.bridge.BridgeMessage;
import io.github.eventfd.spring.bridge.BridgeMode;
import io.github.eventfd.spring.bridge.BridgeState;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bridges of several "hosts" in one JVM, each with its own connections, through a real redis-server. */
class RedisBridgeTests extends RedisTestSupport {

    @Test
    void whenHostsSignalABroadcastThenEveryOtherHostGetsTheExactSumAndNoHostItsOwn() {
        // a command slower than the bridge's timeout reads as an outage for as long as it runs: 1 s, which a busy
        // machine hardly reaches, so that the state read at the end is the exchange's, not the machine's
        Duration timeout = Duration.ofSeconds(1);
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST, Duration.ofMillis(5), timeout);
                FakeHost b = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST, Duration.ofMillis(5), timeout);
                FakeHost c = new FakeHost(this.redis, "host-c", BridgeMode.BROADCAST, Duration.ofMillis(5), timeout)) {
            awaitSubscribers(3);
            for (int i = 0; i < 1000; i++) {
                a.signal(1);
            }
            b.signal(7);
            await().until(() -> c.delivered.get() == 1007 && b.delivered.get() == 1000 && a.delivered.get() == 7);
            // a last signal from each: whatever came before it from that host has arrived, duplicates included
            a.signal(1);
            b.signal(1);
            await().until(() -> c.delivered.get() == 1009);
            await().until(() -> a.delivered.get() == 8 && b.delivered.get() == 1001);
            // a's thread counts a message as sent when Redis's reply reaches it, which may be after b delivered it
            await().until(() -> a.channel.sentCount() == 1001);
            assertThat(a.channel.receivedCount()).isEqualTo(8);
            assertThat(a.bridge.state()).isEqualTo(BridgeState.CONNECTED);
        }
    }

    @Test
    void whenMalformedMessagesArriveThenEachIsRefusedWithItsReasonAndNothingIsDelivered() {
        Map<String, BridgeErrorReason> hostile = new LinkedHashMap<>();
        hostile.put("", BridgeErrorReason.MALFORMED);
        hostile.put("hello", BridgeErrorReason.MALFORMED);
        hostile.put("1 host-x", BridgeErrorReason.MALFORMED);
        hostile.put("1 host-x sender 1 5 extra", BridgeErrorReason.MALFORMED);
        hostile.put("1 host\u0000x sender 1 5", BridgeErrorReason.MALFORMED);
        hostile.put("1 host-x sender 0 5", BridgeErrorReason.MALFORMED);
        hostile.put("1 host-x sender -1 5", BridgeErrorReason.MALFORMED);
        hostile.put("1 host-x sender 99999999999999999999 5", BridgeErrorReason.MALFORMED);
        hostile.put("2 host-x sender 1 5", BridgeErrorReason.UNKNOWN_VERSION);
        hostile.put("99999999999999999999999 host-x sender 1 5", BridgeErrorReason.MALFORMED);
        hostile.put("1 host-x sender 1 -5", BridgeErrorReason.INVALID_COUNT);
        hostile.put("1 host-x sender 1 0", BridgeErrorReason.INVALID_COUNT);
        hostile.put("1 host-x sender 1 5.5", BridgeErrorReason.INVALID_COUNT);
        hostile.put("1 host-x sender 1 18446744073709551615", BridgeErrorReason.INVALID_COUNT);
        hostile.put("1 host-x sender 1 18446744073709551616", BridgeErrorReason.INVALID_COUNT);
        hostile.put("1 host-x sender 1 99999999999999999999", BridgeErrorReason.INVALID_COUNT);
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST)) {
            awaitSubscribers(1);
            for (String body : hostile.keySet()) {
                FakeHost.publish(this.client, body.getBytes(StandardCharsets.UTF_8));
            }
            byte[] huge = new byte[1 << 20];
            Arrays.fill(huge, (byte) '1');
            FakeHost.publish(this.client, huge);
            // a valid message after them all: once it is delivered, the ones before were handled
            FakeHost.publish(this.client, new BridgeMessage("host-x", "sender", 1, 3).encode());
            await().until(() -> a.delivered.get() == 3);
            Map<BridgeErrorReason, Long> expected = new LinkedHashMap<>();
            for (BridgeErrorReason reason : hostile.values()) {
                expected.merge(reason, 1L, Long::sum);
            }
            expected.merge(BridgeErrorReason.TOO_LARGE, 1L, Long::sum);
            for (BridgeErrorReason reason : BridgeErrorReason.values()) {
                if (reason != BridgeErrorReason.ENGINE) {
                    assertThat(a.bridge.errors().count(reason)).as(reason.tag()).isEqualTo(expected.getOrDefault(reason, 0L));
                }
            }
            assertThat(a.channel.receivedCount()).isEqualTo(3);
        }
    }

    @Test
    void whenAValidCountWouldOverflowTheLocalCounterThenItIsRefusedAndCounted() {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST)) {
            awaitSubscribers(1);
            // the largest count an eventfd holds fills the local counter; the next count cannot be added
            FakeHost.publish(this.client, new BridgeMessage("host-x", "sender", 1, -2L).encode());
            FakeHost.publish(this.client, new BridgeMessage("host-x", "sender", 2, 1).encode());
            await().until(() -> a.bridge.errors().count(BridgeErrorReason.OVERFLOW) == 1);
            assertThat(a.delivered.get()).isEqualTo(-2L);
            assertThat(a.counter.pendingCount()).isEqualTo(-2L);
            assertThat(a.channel.receivedCount()).isEqualTo(-2L);
        }
    }

    @Test
    void whenASignalFindsTheBridgeIdleThenItIsSentAtOnceNotAfterTheFlushInterval() {
        // no timer of the bridge runs within the test: only a wake-up by the signal can send it
        Duration hour = Duration.ofHours(1);
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST, hour, hour);
                FakeHost b = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST, hour, hour)) {
            awaitSubscribers(2);
            // each signal finds the bridge idle (the one before arrived): none may wait for the hour-long interval
            for (int i = 1; i <= 3; i++) {
                a.signal(1);
                long expected = i;
                await().until(() -> b.delivered.get() == expected);
            }
            b.signal(2);
            await().until(() -> a.delivered.get() == 2);
            await().until(() -> a.channel.sentCount() == 3);
        }
    }

    @Test
    void whenSignalsAreMadeWhileAPublishIsInFlightThenTheyGoInTheNextOneWithoutWaitingForATimer() {
        Duration hour = Duration.ofHours(1);
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST, hour, hour);
                FakeHost b = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST, hour, hour)) {
            awaitSubscribers(2);
            // signal until b has the first message: signals are made while a's first PUBLISH waits for its reply
            long signals = 0;
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (b.delivered.get() == 0 && System.nanoTime() < giveUp) {
                a.signal(1);
                signals++;
            }
            assertThat(b.delivered.get()).as("the first message").isPositive();
            for (int i = 0; i < 1000; i++) {
                a.signal(1);
                signals++;
            }
            long sent = signals;
            await().until(() -> b.delivered.get() == sent);
            await().until(() -> a.channel.sentCount() == sent);
        }
    }

    @Test
    void whenAQueueSignalFindsTheBridgeIdleThenAnIdleHostClaimsItAtOnce() {
        Duration hour = Duration.ofHours(1);
        try (FakeHost producer = new FakeHost(this.redis, "host-a", BridgeMode.QUEUE, hour, hour);
                FakeHost consumer = new FakeHost(this.redis, "host-b", BridgeMode.QUEUE, hour, hour)) {
            producer.consumes = false;
            awaitSubscribers(2);
            producer.signal(3);
            await().until(() -> consumer.delivered.get() == 3);
            producer.signal(1);
            await().until(() -> consumer.delivered.get() == 4);
            assertThat(producer.delivered.get()).isZero();
        }
    }

    @Test
    void whenAMessageArrivesTwiceThenItsCountIsDeliveredOnce() {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST)) {
            awaitSubscribers(1);
            byte[] message = new BridgeMessage("host-x", "sender", 1, 5).encode();
            FakeHost.publish(this.client, message);
            FakeHost.publish(this.client, message);
            FakeHost.publish(this.client, new BridgeMessage("host-x", "sender", 2, 1).encode());
            await().until(() -> a.delivered.get() >= 6);
            assertThat(a.delivered.get()).isEqualTo(6);
        }
    }

    @Test
    void whenTwoProcessesOfAHostBridgeOneChannelThenOnlyTheServingOneDeliversAndEachSignalIsSentOnce() {
        try (FakeHost server = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST);
                FakeHost follower = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST);
                FakeHost other = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST)) {
            follower.serving = false;
            awaitSubscribers(3);
            other.signal(10);
            follower.signal(5);
            server.signal(2);
            await().until(() -> server.delivered.get() == 10 && other.delivered.get() == 7);
            // a takeover: the follower serves from now on
            server.serving = false;
            follower.serving = true;
            other.signal(3);
            await().until(() -> follower.delivered.get() == 3);
            other.signal(1);
            await().until(() -> follower.delivered.get() == 4);
            assertThat(server.delivered.get()).isEqualTo(10);
            assertThat(other.delivered.get()).isEqualTo(7);
        }
    }

    @Test
    void whenRedisIsPausedThenSignalsMadeMeanwhileArriveAfterwardsWithAResync() {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST);
                FakeHost b = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST)) {
            awaitSubscribers(2);
            a.signal(1);
            await().until(() -> b.delivered.get() == 1);
            this.redis.pause();
            try {
                for (int i = 0; i < 50; i++) {
                    a.signal(1);
                }
                await().until(() -> a.bridge.state() == BridgeState.RECONNECTING);
                await().until(() -> b.bridge.state() == BridgeState.RECONNECTING);
                assertThat(a.bridge.disconnectedFor()).isPositive();
            }
            finally {
                this.redis.unpause();
            }
            await().until(() -> b.delivered.get() == 51);
            await().until(() -> !a.resyncs.isEmpty() && !b.resyncs.isEmpty());
            await().until(() -> a.bridge.state() == BridgeState.CONNECTED);
            a.signal(1);
            await().until(() -> b.delivered.get() == 52);
            await().until(() -> a.channel.sentCount() == 52);
        }
    }

    @Test
    void whenRedisIsKilledAndRestartedThenCountsKeptMeanwhileAreSentAndEveryHostResyncs() {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST);
                FakeHost b = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST)) {
            awaitSubscribers(2);
            a.signal(1);
            await().until(() -> b.delivered.get() == 1);
            this.redis.kill();
            for (int i = 0; i < 20; i++) {
                a.signal(1);
            }
            await().until(() -> a.bridge.state() == BridgeState.RECONNECTING);
            assertThat(a.channel.sentCount()).isEqualTo(1);
            this.redis.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.channel.sentCount() == 21);
            await().atMost(Duration.ofSeconds(60)).until(() -> !a.resyncs.isEmpty() && !b.resyncs.isEmpty());
            awaitSubscribers(2);
            // pub/sub keeps nothing across a restart. a's thread may have woken during the 20 signals, so they went
            // out in one message or two; b got those published after it subscribed again (none, the later one or
            // all; b resynced for the rest). The 1,000 come last from the same sender: once b has them, b has all it
            // will ever get, each message once and nothing invented
            a.signal(1000);
            await().until(() -> b.delivered.get() >= 1001);
            List<Long> deliveries = List.copyOf(b.deliveries);
            assertThat(deliveries.get(0)).isEqualTo(1);
            assertThat(deliveries.get(deliveries.size() - 1)).isEqualTo(1000);
            List<Long> meanwhile = deliveries.subList(1, deliveries.size() - 1);
            assertThat(meanwhile).as("what b got of the 20").hasSizeLessThanOrEqualTo(2);
            assertThat(meanwhile.stream().mapToLong(Long::longValue).sum()).as("what b got of the 20").isBetween(0L, 20L);
            if (meanwhile.size() == 2) {
                assertThat(meanwhile.get(0) + meanwhile.get(1)).isEqualTo(20);
            }
            await().until(() -> a.channel.sentCount() == 1021);
            assertThat(a.delivered.get()).isZero();
        }
    }

    @Test
    void whenHostsShareAQueueThenEveryUnitIsConsumedOnceAndOnlyByHostsWithRoomNow() {
        try (FakeHost producer = new FakeHost(this.redis, "host-a", BridgeMode.QUEUE);
                FakeHost idle = new FakeHost(this.redis, "host-b", BridgeMode.QUEUE);
                FakeHost busy = new FakeHost(this.redis, "host-c", BridgeMode.QUEUE)) {
            producer.consumes = false;
            busy.localPending = 5;
            awaitSubscribers(3);
            for (int i = 0; i < 100; i++) {
                producer.signal(1);
            }
            await().until(() -> idle.delivered.get() == 100);
            assertThat(busy.delivered.get()).isZero();
            assertThat(producer.delivered.get()).isZero();
            busy.localPending = 0;
            producer.signal(40);
            await().until(() -> idle.delivered.get() + busy.delivered.get() == 140);
            await().until(() -> queued() == 0);
            assertThat(idle.delivered.get() + busy.delivered.get() + producer.delivered.get()).isEqualTo(140);
            await().until(() -> producer.channel.sentCount() == 140);
        }
    }

    @Test
    void whenAQueueMessageIsAddedAgainAfterATimeoutThenRedisCountsItOnce() {
        byte[] key = "test:queue:{orders}".getBytes(StandardCharsets.UTF_8);
        try (var connection = this.client.getConnection()) {
            for (int i = 0; i < 2; i++) {
                connection.scriptingCommands().eval(QueueCarrier.ADD.getBytes(StandardCharsets.UTF_8),
                        org.springframework.data.redis.connection.ReturnType.INTEGER, 2, key,
                        "test:queue:{orders}:senders".getBytes(StandardCharsets.UTF_8),
                        "sender".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8),
                        "7".getBytes(StandardCharsets.UTF_8), "test:channel:orders".getBytes(StandardCharsets.UTF_8),
                        new BridgeMessage("host-x", "sender", 1, 7).encode());
            }
        }
        assertThat(queued()).isEqualTo(7);
    }

    private long queued() {
        try (var connection = this.client.getConnection()) {
            byte[] value = connection.stringCommands().get("test:queue:{orders}".getBytes(StandardCharsets.UTF_8));
            return (value != null) ? Long.parseLong(new String(value, StandardCharsets.UTF_8)) : 0;
        }
    }
}
