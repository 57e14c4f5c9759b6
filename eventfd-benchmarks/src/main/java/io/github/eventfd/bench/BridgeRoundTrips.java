package io.github.eventfd.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.EventFdChannel;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Host-to-host round trips through one Redis, each between this JVM and a {@link BridgePeer} JVM: through the
 * starter's bridge (two applications with different host ids and socket directories, so Redis is their only
 * path), and the baseline, a plain pub/sub ping-pong with Lettuce, the client the bridge uses through Spring Data
 * Redis.
 */
final class BridgeRoundTrips {

    /** The host id of this side. */
    static final String HOST_ID = "bench-host-a";

    /** A pub/sub message as long as a bridge message, for the baseline. */
    private static final String PAYLOAD = "1 bench-host-a bench-host-a/123456/0123abcd 1000000 1";

    /** Longest wait for an answer: a lost message ends the run instead of hanging it. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private BridgeRoundTrips() {
    }

    /** A Redis channel prefix of this run alone: runs and rows never hear each other. */
    static String prefix() {
        return "eventfd-bench:" + ProcessHandle.current().pid() + ":" + System.nanoTime() + ":";
    }

    /**
     * Signal "ping" in this host's application; the other host's listener signals "pong"; this host's listener on
     * "pong" rings the eventfd the measuring thread reads.
     */
    static RoundTrip bridge(int port, Path work) throws Exception {
        String prefix = prefix();
        Process peer = ProcessRoundTrips.start(BridgePeer.class, "echo", Integer.toString(port), prefix,
                work.resolve("host-b-echo").toString());
        ConfigurableApplicationContext context = null;
        try {
            ProcessRoundTrips.awaitReady(peer);
            context = BridgeHost.start(BridgeHost.Pinger.class, port, HOST_ID, work.resolve("host-a-echo"), prefix,
                    "ping", "pong");
            Resp.awaitSubscribers(port, 2, prefix + "ping", prefix + "pong");
        }
        catch (Exception ex) {
            if (context != null) {
                context.close();
            }
            ProcessRoundTrips.stop(peer);
            throw ex;
        }
        ConfigurableApplicationContext host = context;
        EventFdChannel ping = BridgeHost.channel(host, "ping");
        EventFd back = host.getBean("back", EventFd.class);
        return new RoundTrip() {
            @Override
            public void roundTrip() throws IOException {
                ping.signal();
                if (back.read(ANSWER_TIMEOUT) == 0) {
                    throw new IOException("no pong through the bridge within " + ANSWER_TIMEOUT.toSeconds() + " s");
                }
            }

            @Override
            public void close() throws Exception {
                host.close();
                ProcessRoundTrips.stop(peer);
            }
        };
    }

    /** Publish on "ping" with Lettuce; the other JVM's Lettuce listener publishes on "pong"; wait for it here. */
    static RoundTrip lettuce(int port) throws Exception {
        String prefix = prefix();
        Process peer = ProcessRoundTrips.start(BridgePeer.class, "lettuce", Integer.toString(port), prefix);
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        StatefulRedisConnection<String, String> publisher;
        StatefulRedisPubSubConnection<String, String> subscriber;
        BlockingQueue<String> answers = new ArrayBlockingQueue<>(16);
        try {
            ProcessRoundTrips.awaitReady(peer);
            subscriber = client.connectPubSub();
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    answers.offer(message);
                }
            });
            subscriber.sync().subscribe(prefix + "pong");
            publisher = client.connect();
        }
        catch (Exception ex) {
            client.shutdown();
            ProcessRoundTrips.stop(peer);
            throw ex;
        }
        RedisCommands<String, String> commands = publisher.sync();
        String ping = prefix + "ping";
        return new RoundTrip() {
            @Override
            public void roundTrip() throws Exception {
                commands.publish(ping, PAYLOAD);
                if (answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) == null) {
                    throw new IOException("no pong through Redis within " + ANSWER_TIMEOUT.toSeconds() + " s");
                }
            }

            @Override
            public void close() throws Exception {
                subscriber.close();
                publisher.close();
                client.shutdown();
                ProcessRoundTrips.stop(peer);
            }
        };
    }
}
