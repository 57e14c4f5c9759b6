package io.github.eventfd.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The other "host" of the bridge benchmarks, started as a JVM of its own: {@code echo PORT PREFIX SOCKETS} (a
 * bridged application that answers each "ping" with a "pong"), {@code count PORT PREFIX SOCKETS} (a bridged
 * application that adds up what arrives on "flood" and prints the sum for each line it reads) or {@code lettuce
 * PORT PREFIX} (plain Lettuce pub/sub that answers each message on "ping" with one on "pong"). It prints
 * {@code ready} once it listens and ends with its standard input.
 */
public final class BridgePeer {

    /** The host id of this side; the measuring side is {@code bench-host-a}. */
    static final String HOST_ID = "bench-host-b";

    private BridgePeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        String prefix = args[2];
        switch (args[0]) {
            case "echo" -> echo(port, prefix, Path.of(args[3]));
            case "count" -> count(port, prefix, Path.of(args[3]));
            case "lettuce" -> lettuce(port, prefix);
            default -> throw new IllegalArgumentException("unknown peer " + args[0]);
        }
        System.exit(0);
    }

    private static void echo(int port, String prefix, Path sockets) throws Exception {
        try (ConfigurableApplicationContext context = BridgeHost.start(BridgeHost.Ponger.class, port, HOST_ID, sockets,
                prefix, "ping", "pong")) {
            ready();
            awaitEndOfInput();
        }
    }

    private static void count(int port, String prefix, Path sockets) throws Exception {
        try (ConfigurableApplicationContext context = BridgeHost.start(BridgeHost.Counter.class, port, HOST_ID,
                sockets, prefix, "flood")) {
            BridgeHost.FloodListener listener = context.getBean(BridgeHost.FloodListener.class);
            ready();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                System.out.println(listener.delivered.get());
                System.out.flush();
            }
        }
    }

    private static void lettuce(int port, String prefix) throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> publisher = client.connect();
                StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
            RedisAsyncCommands<String, String> commands = publisher.async();
            String pong = prefix + "pong";
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    // on Lettuce's event loop: answer without waiting for the reply
                    commands.publish(pong, message);
                }
            });
            subscriber.sync().subscribe(prefix + "ping");
            ready();
            awaitEndOfInput();
        }
        finally {
            client.shutdown();
        }
    }

    private static void ready() {
        System.out.println("ready");
        System.out.flush();
    }

    private static void awaitEndOfInput() throws Exception {
        while (System.in.read() >= 0) {
            // nothing to do but wait
        }
    }
}
