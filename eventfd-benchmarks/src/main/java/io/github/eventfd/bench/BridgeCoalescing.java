package io.github.eventfd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.bridge.BridgedChannel;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One producer signalling a bridged broadcast channel as fast as it can for a fixed time, and what that cost
 * Redis: the signals made here, the Redis commands and PUBLISHes they took ({@code INFO stats} and {@code INFO
 * commandstats} before and after), and the sum delivered on the other host, which must equal the signals sent.
 *
 * @param signals signals made here
 * @param nanos how long the producer signalled
 * @param commands Redis commands processed meanwhile, until the other host had everything (the bridges' idle
 * PINGs included, this measurement's own INFO commands not)
 * @param publishes PUBLISH commands among them
 * @param delivered the sum delivered to the listener on the other host
 */
record BridgeCoalescing(long signals, long nanos, long commands, long publishes, long delivered) {

    /** Longest wait for the bridge to send everything and the other host to deliver it. */
    private static final long SETTLE_NANOS = Duration.ofSeconds(20).toNanos();

    /** INFO commands of this measurement counted between the two readings of {@code total_commands_processed}. */
    private static final int OWN_COMMANDS = 3;

    static BridgeCoalescing measure(int port, Path work, Duration duration) throws Exception {
        String prefix = BridgeRoundTrips.prefix();
        Process peer = ProcessRoundTrips.start(BridgePeer.class, "count", Integer.toString(port), prefix,
                work.resolve("host-b-count").toString());
        try {
            BufferedReader fromPeer = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream toPeer = peer.getOutputStream();
            if (!"ready".equals(fromPeer.readLine())) {
                throw new IOException("the coalescing peer did not start");
            }
            try (ConfigurableApplicationContext context = BridgeHost.start(BridgeHost.Producer.class, port,
                    BridgeRoundTrips.HOST_ID, work.resolve("host-a-count"), prefix, "flood");
                    Resp redis = new Resp("127.0.0.1", port)) {
                Resp.awaitSubscribers(port, 2, prefix + "flood");
                EventFdChannel flood = BridgeHost.channel(context, "flood");
                BridgedChannel bridged = BridgeHost.bridged(context, "flood");
                long commandsBefore = redis.info("stats", "total_commands_processed");
                long publishesBefore = redis.info("commandstats", "cmdstat_publish:calls");
                long signals = 0;
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                do {
                    for (int i = 0; i < 1024; i++) {
                        flood.signal();
                    }
                    signals += 1024;
                }
                while (System.nanoTime() < end);
                long nanos = System.nanoTime() - start;
                long deadline = System.nanoTime() + SETTLE_NANOS;
                while (bridged.sentCount() != signals && System.nanoTime() < deadline) {
                    // the bridge's thread sends what is left; nothing announces when it is done
                    Thread.sleep(5);
                }
                long delivered = delivered(toPeer, fromPeer);
                while (delivered != signals && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    delivered = delivered(toPeer, fromPeer);
                }
                long publishes = redis.info("commandstats", "cmdstat_publish:calls") - publishesBefore;
                long commands = redis.info("stats", "total_commands_processed") - commandsBefore - OWN_COMMANDS;
                return new BridgeCoalescing(signals, nanos, commands, publishes, delivered);
            }
        }
        finally {
            ProcessRoundTrips.stop(peer);
        }
    }

    private static long delivered(OutputStream toPeer, BufferedReader fromPeer) throws IOException {
        toPeer.write('\n');
        toPeer.flush();
        String line = fromPeer.readLine();
        if (line == null) {
            throw new IOException("the coalescing peer ended");
        }
        return Long.parseLong(line.trim());
    }

    double seconds() {
        return this.nanos / 1e9;
    }

    /** Whether the other host delivered exactly what was signalled here. */
    boolean exact() {
        return this.delivered == this.signals;
    }
}
