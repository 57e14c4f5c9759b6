package io.github.eventfd.spring.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.eventfd.spring.bridge.BridgeErrorReason;
import io.github.eventfd.spring.bridge.BridgeMode;
import io.github.eventfd.spring.bridge.BridgeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile Redis peer, an unlucky operator or a failing network does to the bridge, through a real
 * redis-server: units of a queue are never lost while Redis is up, and what cannot be sent is never lost silently.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisBridgeAttackTests extends RedisTestSupport {

    private static final byte[] QUEUE_KEY = "test:queue:{orders}".getBytes(StandardCharsets.UTF_8);

    private void setQueueKey(String value) {
        try (var connection = this.client.getConnection()) {
            connection.stringCommands().set(QUEUE_KEY, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "not-a-count", "-1000" })
    void whenTheQueueKeyHoldsWhatNoBridgeWroteThenUnitsAddedAfterwardsAreStillClaimed(String hostile) {
        setQueueKey(hostile);
        try (FakeHost producer = new FakeHost(this.redis, "host-a", BridgeMode.QUEUE);
                FakeHost consumer = new FakeHost(this.redis, "host-b", BridgeMode.QUEUE)) {
            producer.consumes = false;
            awaitSubscribers(2);
            producer.signal(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.delivered.get() == 5);
            assertThat(producer.delivered.get()).isZero();
        }
    }

    @Test
    void whenTheReplyToAClaimIsLostThenTheUnitsItTookAreStillDelivered() {
        setQueueKey("10");
        try (FakeHost consumer = new FakeHost(this.redis, "host-b", BridgeMode.QUEUE)) {
            consumer.consumes = false;
            awaitSubscribers(1);
            // writes (scripts included) wait 3 s; the claim's command times out after 2 s, then Redis runs it
            try (var connection = this.client.getConnection()) {
                connection.execute("CLIENT", "PAUSE".getBytes(StandardCharsets.UTF_8),
                        "3000".getBytes(StandardCharsets.UTF_8), "WRITE".getBytes(StandardCharsets.UTF_8));
            }
            consumer.consumes = true;
            await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.delivered.get() == 10);
            assertThat(consumer.channel.receivedCount()).isEqualTo(10);
        }
    }

    @Test
    void whenTheBridgeStopsWhileRedisIsDownThenTheCountNotSentIsLogged(CapturedOutput output) {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST)) {
            assertThatAStopWhileRedisIsDownLogsTheCountNotSent(a, output);
        }
    }

    @Test
    void whenTheBridgeStopsWhileACommandWaitsForTheClientsTimeoutThenStopStillLogsTheCountNotSent(
            CapturedOutput output) {
        // Lettuce's default command timeout, which Boot keeps unless spring.data.redis.timeout is set: the bridge's
        // thread waits a minute for the command it runs when Redis dies, longer than a stop waits for it
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST, Duration.ofMillis(5),
                FakeHost.BRIDGE_TIMEOUT, Duration.ofSeconds(60))) {
            assertThatAStopWhileRedisIsDownLogsTheCountNotSent(a, output);
        }
    }

    /** Kill Redis, signal, stop the bridge once it knows Redis is gone: the count is in the log when stop returns. */
    private void assertThatAStopWhileRedisIsDownLogsTheCountNotSent(FakeHost host, CapturedOutput output) {
        awaitSubscribers(1);
        this.redis.kill();
        host.signal(5);
        await().until(() -> host.bridge.state() == BridgeState.RECONNECTING);
        host.bridge.stop();
        assertThat(output).contains("'orders'").contains("5 signals");
    }

    @Test
    void whenABridgedQueueStopsDuringAnOutageThenItsLocalConsumersStillGetWhatAddedUp(CapturedOutput output) {
        // rounds of the outage only every minute: what is signalled after one is left for the stop
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.QUEUE, Duration.ofMinutes(1),
                FakeHost.BRIDGE_TIMEOUT)) {
            awaitSubscribers(1);
            this.redis.kill();
            Thread worker = a.bridge.worker();
            assertThat(worker).isNotNull();
            // the outage is marked and the thread waits for its next round
            await().atMost(Duration.ofSeconds(30)).until(() -> a.bridge.errors().count(BridgeErrorReason.ENGINE) >= 1
                    && a.bridge.state() == BridgeState.RECONNECTING && inPause(worker));
            a.signal(5);
            a.bridge.stop();
            assertThat(a.delivered.get()).isEqualTo(5);
            assertThat(output).doesNotContain("signals were not confirmed");
        }
    }

    @Test
    void whenTheBridgeStopsAndStartsAgainThenItReportsConnectedAgain() {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST)) {
            awaitSubscribers(1);
            a.signal(1);
            await().until(() -> a.bridge.state() == BridgeState.CONNECTED);
            a.bridge.stop();
            assertThat(a.bridge.state()).isEqualTo(BridgeState.STOPPED);
            a.bridge.start();
            a.signal(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.bridge.state() == BridgeState.CONNECTED);
        }
    }

    @Test
    void whenAStopGaveUpOnACommandAndTheBridgeStartsAgainThenOneThreadCarriesTheChannels() {
        // the client waits 20 s for a command, longer than a stop waits for the bridge's thread
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST, Duration.ofMillis(5),
                FakeHost.BRIDGE_TIMEOUT, Duration.ofSeconds(20));
                FakeHost b = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST)) {
            awaitSubscribers(2);
            Thread first = a.bridge.worker();
            assertThat(first).isNotNull();
            this.redis.pause();
            try {
                a.signal(5);
                // the PUBLISH waits for longer than the bridge's timeout, and the stop gives up on it
                await().until(() -> a.bridge.state() == BridgeState.RECONNECTING);
                a.bridge.stop();
                a.bridge.start();
                // while Redis still does not answer: the first run's thread ends (its command interrupted, with
                // nothing more to send), or runs the new run; never beside a second thread, each in a command
                await().atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive() || a.bridge.worker() == first);
            }
            finally {
                this.redis.unpause();
            }
            assertThat(a.bridge.worker()).isNotNull().satisfies(worker -> assertThat(worker.isAlive()).isTrue());
            await().atMost(Duration.ofSeconds(10)).until(() -> b.delivered.get() == 5);
            a.signal(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> b.delivered.get() == 7);
        }
    }

    @Test
    void whenAResyncListenerStopsTheBridgeOnTheBridgesThreadThenTheStopDoesNotWaitForItself(CapturedOutput output) {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST)) {
            awaitSubscribers(1);
            Thread worker = a.bridge.worker();
            assertThat(worker).isNotNull();
            // as an application that shuts down when it may have missed messages; from the pause on only, since a
            // command slower than the timeout before it (a busy machine) is an outage of its own, whose end resyncs
            AtomicBoolean paused = new AtomicBoolean();
            a.onResync = () -> {
                if (paused.get()) {
                    a.bridge.stop();
                }
            };
            this.redis.pause();
            paused.set(true);
            try {
                a.signal(1);
                await().until(() -> a.bridge.state() == BridgeState.RECONNECTING);
            }
            finally {
                this.redis.unpause();
            }
            // Redis answers again: the bridge's thread resyncs the channel, whose listener stops the bridge
            await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isAlive());
            assertThat(a.resyncs).isNotEmpty();
            assertThat(a.bridge.state()).isEqualTo(BridgeState.STOPPED);
            // the PUBLISH whose answer set off the resync was confirmed: nothing is left to report
            assertThat(output).doesNotContain("did not stop within").doesNotContain("signals were not confirmed");
        }
    }

    private static boolean inPause(Thread thread) {
        for (StackTraceElement element : thread.getStackTrace()) {
            if (element.getClassName().equals(RedisBridge.class.getName()) && element.getMethodName().equals("pause")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void whenACommandFailsForWantOfAnAnswerThenTheBridgeNeverReportsConnectedOnTheWayToTheOutage() {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST)) {
            awaitSubscribers(1);
            // subscribed is not yet connected: until its first command answers, the bridge reports STARTING, also
            // while that command waits (a busy machine's start), and the outage would show only when it fails
            await().atMost(Duration.ofSeconds(10)).until(() -> a.bridge.state() == BridgeState.CONNECTED);
            this.redis.pause();
            try {
                // counted once Redis is paused: on a busy machine the pause itself may take seconds, in which an
                // idle PING hangs and fails; counted before, that failure would end the loop below before it ran
                long errorsBefore = a.bridge.errors().count(BridgeErrorReason.ENGINE);
                a.signal(1);
                // the state while the PUBLISH waits (reported as an outage once it takes longer than the timeout),
                // when the client gives up on it (2 s) and after: a health check or gauge reads it at any moment
                boolean outageSeen = false;
                long connectedAfterOutage = 0;
                long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (a.bridge.errors().count(BridgeErrorReason.ENGINE) == errorsBefore
                        || a.bridge.state() != BridgeState.RECONNECTING) {
                    BridgeState state = a.bridge.state();
                    outageSeen |= state == BridgeState.RECONNECTING;
                    if (outageSeen && state == BridgeState.CONNECTED) {
                        connectedAfterOutage++;
                    }
                    assertThat(System.nanoTime()).as("the failed command within 20 s").isLessThan(giveUp);
                }
                assertThat(outageSeen).isTrue();
                assertThat(connectedAfterOutage).as("reads of CONNECTED after the outage showed").isZero();
            }
            finally {
                this.redis.unpause();
            }
        }
    }

    @Test
    void whenRedisAnswersEveryClaimWithAnErrorThenChannelsAreNotToldToResyncOverAndOver() {
        try (var connection = this.client.getConnection()) {
            // a key of another type: every claim is answered WRONGTYPE, while PING and pub/sub work
            connection.hashCommands().hSet(QUEUE_KEY, "f".getBytes(StandardCharsets.UTF_8),
                    "v".getBytes(StandardCharsets.UTF_8));
        }
        // a command slower than the timeout is an outage, and its end a resync, of its own: with 1 s, which a busy
        // machine hardly reaches, a resync or a state other than CONNECTED here comes from the error replies
        try (FakeHost consumer = new FakeHost(this.redis, "host-b", BridgeMode.QUEUE, Duration.ofMillis(5),
                Duration.ofSeconds(1))) {
            awaitSubscribers(1);
            await().until(() -> consumer.bridge.errors().count(BridgeErrorReason.ENGINE) >= 5);
            assertThat(consumer.resyncs).isEmpty();
            assertThat(consumer.bridge.resyncCount()).isZero();
            assertThat(consumer.bridge.state()).isEqualTo(BridgeState.CONNECTED);
        }
    }

    @Test
    void whenRedisIsKilledAndRestartedThenChannelsResyncForTheReconnectNotForEachFailedAttempt(CapturedOutput output) {
        try (FakeHost a = new FakeHost(this.redis, "host-a", BridgeMode.BROADCAST);
                FakeHost b = new FakeHost(this.redis, "host-b", BridgeMode.BROADCAST)) {
            awaitSubscribers(2);
            this.redis.kill();
            // several failed attempts each (a command waits for the client's 2 s timeout while Redis is gone)
            await().atMost(Duration.ofSeconds(30)).until(() -> a.bridge.errors().count(BridgeErrorReason.ENGINE) >= 3
                    && b.bridge.errors().count(BridgeErrorReason.ENGINE) >= 3);
            // none for the failed attempts. A command slower than the timeout before the kill (a busy machine) is an
            // outage of its own, whose end is logged before its resync: only such resyncs may be here. The resyncs
            // are read before the log, so each one's log line is in what is read
            List<String> whileDown = List.copyOf(a.resyncs);
            String loggedWhileDown = output.getAll();
            assertThat(whileDown).allMatch(reason -> reason.startsWith("Redis reconnected"));
            assertThat(whileDown.size())
                    .isLessThanOrEqualTo(occurrences(loggedWhileDown, "Redis answered again after"));
            this.redis.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.bridge.state() == BridgeState.CONNECTED
                    && b.bridge.state() == BridgeState.CONNECTED);
            awaitSubscribers(2);
            // a message each way after both subscribed again: whatever the reconnect set off has run
            a.signal(1);
            b.signal(1);
            await().until(() -> a.delivered.get() == 1 && b.delivered.get() == 1);
            // one when commands succeed again, one when the subscription is made again (it may come later, and
            // covers what was published in between): never one per failed attempt. A command of the reconnected
            // bridge that is slower than its timeout on a busy machine is an outage of its own, with its own logged
            // reconnect and resync: each reconnect resync must match a reconnect the bridges logged
            assertThat(a.resyncs).isNotEmpty();
            assertThat(b.resyncs).isNotEmpty();
            assertThat(reconnectResyncs(a) + reconnectResyncs(b))
                    .isLessThanOrEqualTo(occurrences(output.getAll(), "Redis answered again after"));
            assertThat(a.resyncs.size() - reconnectResyncs(a)).isLessThanOrEqualTo(1);
            assertThat(b.resyncs.size() - reconnectResyncs(b)).isLessThanOrEqualTo(1);
        }
    }

    private static long reconnectResyncs(FakeHost host) {
        return host.resyncs.stream().filter(reason -> reason.startsWith("Redis reconnected")).count();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    @Test
    void whenAHostThatOnlyProducesSignalsABridgedQueueDuringAnOutageThenTheUnitsReachAConsumerAfterwards() {
        try (FakeHost producer = new FakeHost(this.redis, "host-a", BridgeMode.QUEUE);
                FakeHost consumer = new FakeHost(this.redis, "host-b", BridgeMode.QUEUE)) {
            producer.consumes = false;
            awaitSubscribers(2);
            this.redis.pause();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> producer.bridge.errors().count(BridgeErrorReason.ENGINE) >= 1);
                producer.signal(5);
                // the bridge has taken the count: into its local counter, or into a message kept for Redis
                await().until(() -> producer.channel.outgoing().pending() == 0);
            }
            finally {
                this.redis.unpause();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.delivered.get() == 5);
            assertThat(producer.delivered.get()).isZero();
        }
    }

    private long queued() {
        try (var connection = this.client.getConnection()) {
            byte[] value = connection.stringCommands().get(QUEUE_KEY);
            return (value != null) ? Long.parseLong(new String(value, StandardCharsets.UTF_8)) : 0;
        }
    }
}
