package io.github.eventfd.bench;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import io.github.eventfd.share.SharedChannel;
import io.github.eventfd.share.SharedChannel;

/**
 * The echo side of the process-to-process benchmarks, started as a separate JVM:
 * {@code eventfd PING_SOCKET PONG_SOCKET}, {@code uds SOCKET} or {@code redis PORT}.
 */
public final class ProcessPeer {

    private ProcessPeer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "eventfd" -> eventFd(Path.of(args[1]), Path.of(args[2]));
            case "uds" -> unixSocket(Path.of(args[1]));
            case "redis" -> redis(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("unknown peer " + args[0]);
        }
    }

    private static void eventFd(Path pingSocket, Path pongSocket) {
        try (SharedChannel ping = SharedChannel.open(ProcessRoundTrips.options("ping", pingSocket, true));
                SharedChannel pong = SharedChannel.open(ProcessRoundTrips.options("pong", pongSocket, true))) {
            System.out.println("ready");
            System.out.flush();
            for (;;) {
                ping.read();
                pong.signal();
            }
        }
        catch (IllegalStateException ex) {
            // the benchmark ended
        }
    }

    private static void unixSocket(Path socket) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer buffer = ByteBuffer.allocate(1);
            for (;;) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    return;
                }
                buffer.flip();
                channel.write(buffer);
            }
        }
    }

    private static void redis(int port) throws Exception {
        try (Resp subscriber = new Resp("127.0.0.1", port); Resp publisher = new Resp("127.0.0.1", port)) {
            subscriber.send("SUBSCRIBE", "ping");
            subscriber.read();
            System.out.println("ready");
            System.out.flush();
            for (;;) {
                subscriber.read();
                publisher.send("PUBLISH", "pong", "x");
                publisher.read();
            }
        }
    }
}
