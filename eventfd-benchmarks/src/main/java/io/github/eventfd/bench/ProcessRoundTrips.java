package io.github.eventfd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.ShareRole;
import io.github.eventfd.share.SharedChannel;

/**
 * Process-to-process round trips with a {@link ProcessPeer} JVM: a shared eventfd channel, a Unix
 * domain socket, and Redis pub/sub on loopback.
 */
final class ProcessRoundTrips {

    private ProcessRoundTrips() {
    }

    static ShareOptions options(String channel, Path socket, boolean attach) {
        return ShareOptions.builder(channel, socket).role(attach ? ShareRole.ATTACH : ShareRole.OWNER)
                .reconnectInterval(Duration.ofMillis(20)).attachTimeout(Duration.ofSeconds(10)).build();
    }

    private static Process peer(String... args) throws IOException {
        return start(ProcessPeer.class, args);
    }

    /** Start {@code main} in a JVM of its own, with this JVM's class path; its standard error is this one's. */
    static Process start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Wait for the peer's first line, which must be {@code ready}. */
    static void awaitReady(Process process) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream()));
        String line = reader.readLine();
        if (!"ready".equals(line)) {
            throw new IOException("benchmark peer did not start: " + line);
        }
    }

    static void stop(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static RoundTrip sharedChannel(Path directory) throws IOException {
        Path pingSocket = directory.resolve("ping.sock");
        Path pongSocket = directory.resolve("pong.sock");
        SharedChannel ping = SharedChannel.open(options("ping", pingSocket, false));
        SharedChannel pong = SharedChannel.open(options("pong", pongSocket, false));
        Process process = peer("eventfd", pingSocket.toString(), pongSocket.toString());
        awaitReady(process);
        return RoundTrip.overCounters(ping, pong, () -> stop(process));
    }

    static RoundTrip unixSocket(Path directory) throws IOException {
        Path socket = directory.resolve("uds.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Process process = peer("uds", socket.toString());
        SocketChannel channel = server.accept();
        ByteBuffer out = ByteBuffer.allocate(1);
        ByteBuffer in = ByteBuffer.allocate(1);
        return new RoundTrip() {
            @Override
            public void roundTrip() throws IOException {
                out.clear();
                channel.write(out);
                in.clear();
                if (channel.read(in) < 0) {
                    throw new IOException("peer closed");
                }
            }

            @Override
            public void close() throws Exception {
                channel.close();
                server.close();
                stop(process);
            }
        };
    }

    static RoundTrip redis(int port) throws IOException {
        Resp subscriber = new Resp("127.0.0.1", port);
        Resp publisher = new Resp("127.0.0.1", port);
        subscriber.send("SUBSCRIBE", "pong");
        subscriber.read();
        Process process = peer("redis", Integer.toString(port));
        awaitReady(process);
        return new RoundTrip() {
            @Override
            public void roundTrip() throws IOException {
                publisher.send("PUBLISH", "ping", "x");
                publisher.read();
                subscriber.read();
            }

            @Override
            public void close() throws Exception {
                stop(process);
                subscriber.close();
                publisher.close();
            }
        };
    }
}
