package io.github.eventfd.spring.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.spring.bridge.BridgeMode;
import io.github.eventfd.spring.bridge.BridgedChannel;
import io.github.eventfd.spring.bridge.OutgoingSignals;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One process of one "host" with one bridged channel "orders": a real {@link RedisBridge} on its own Lettuce
 * connection factory, delivering into an in-JVM counter whose deliveries it adds up.
 */
final class FakeHost implements AutoCloseable {

    static final Duration BRIDGE_TIMEOUT = Duration.ofMillis(300);

    final String host;

    final LettuceConnectionFactory factory;

    final RedisBridge bridge;

    final BridgedChannel channel;

    /** What reached the local counter: the counter's sum, read so far. */
    final InMemoryEventCounter counter = new InMemoryEventCounter(EventFdMode.COUNTER, 0);

    final AtomicLong delivered = new AtomicLong();

    /** Each count that reached the local counter, in the order it came. */
    final List<Long> deliveries = new CopyOnWriteArrayList<>();

    final List<String> resyncs = new CopyOnWriteArrayList<>();

    volatile boolean serving = true;

    /** What a listener of the channel's resync events does besides recording it; on the thread that resyncs. */
    volatile Runnable onResync = () -> { };

    /** What the host's consumers have not taken yet; a queue claims only at 0. */
    volatile long localPending;

    /** Whether anything on the host consumes the channel; a queue claims only then. */
    volatile boolean consumes = true;

    FakeHost(RedisServer server, String host, BridgeMode mode) {
        this(server, host, mode, Duration.ofMillis(5), BRIDGE_TIMEOUT);
    }

    /** A host whose bridge runs rounds on its own only every {@code flushInterval} and PINGs after {@code timeout}. */
    FakeHost(RedisServer server, String host, BridgeMode mode, Duration flushInterval, Duration timeout) {
        this(server, host, mode, flushInterval, timeout, Duration.ofSeconds(2));
    }

    /** As above, on a Lettuce client whose commands time out after {@code commandTimeout}. */
    FakeHost(RedisServer server, String host, BridgeMode mode, Duration flushInterval, Duration timeout,
            Duration commandTimeout) {
        this.host = host;
        this.factory = server.connectionFactory(commandTimeout);
        this.bridge = new RedisBridge(this.factory, new RedisBridgeSettings("test:channel:", "test:queue:",
                flushInterval, 16, timeout), host + "/" + System.nanoTime());
        this.channel = new BridgedChannel("orders", mode, host, new OutgoingSignals(), () -> this.serving, count -> {
            this.counter.signalUnsigned(count);
            this.deliveries.add(count);
            this.delivered.addAndGet(count);
        }, reason -> {
            this.resyncs.add(reason);
            this.onResync.run();
        }, () -> this.localPending, () -> this.consumes);
        this.bridge.attach(this.channel);
        this.bridge.start();
    }

    void signal(long n) {
        this.channel.outgoing().add(n);
    }

    /** Subscribers of the channel's topic on the server. */
    static long subscribers(LettuceConnectionFactory factory) {
        try (var connection = factory.getConnection()) {
            @SuppressWarnings("unchecked")
            var commands = (io.lettuce.core.api.async.RedisAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            Map<byte[], Long> reply = commands.pubsubNumsub("test:channel:orders".getBytes(StandardCharsets.UTF_8))
                    .get(2, TimeUnit.SECONDS);
            return reply.values().stream().mapToLong(Long::longValue).sum();
        }
        catch (Exception ex) {
            return -1;
        }
    }

    /** Publish raw bytes on the channel's topic, as anyone with access to Redis can. */
    static void publish(LettuceConnectionFactory factory, byte[] body) {
        try (var connection = factory.getConnection()) {
            connection.publish("test:channel:orders".getBytes(StandardCharsets.UTF_8), body);
        }
    }

    @Override
    public void close() {
        this.bridge.stop();
        this.factory.destroy();
    }
}
