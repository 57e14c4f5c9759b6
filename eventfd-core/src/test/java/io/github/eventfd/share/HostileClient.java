package io.github.eventfd.share;

import java.nio.file.Path;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import io.github.eventfd.internal.UnixSocket;

/**
 * A hostile program of an allowed uid for the multi-process tests: it subscribes to a broadcast again and
 * again with a descriptor that is not what the protocol asks for (an epoll instance, or an eventfd in the
 * wrong mode), waits for each refusal, and prints {@code done N} with the number of refusals it got.
 * Arguments: socket count.
 */
public final class HostileClient {

    private HostileClient() {
    }

    public static void main(String[] args) {
        Path socket = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        byte[] hello = ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, EventFdMode.COUNTER, true,
                "chan"));
        int refused = 0;
        for (int i = 0; i < count; i++) {
            int bad = (i % 2 == 0) ? Posix.epollCreate() : Posix.eventfd(0, true);
            try (UnixSocket client = UnixSocket.connect(socket)) {
                client.send(hello, new int[] { bad });
                int fd = client.acquire();
                try {
                    Posix.pollIn(Scratch.current(), fd, fd, 5_000);
                }
                finally {
                    client.release();
                }
                UnixSocket.Received reply = client.receive();
                if (reply != null && !reply.endOfStream()
                        && ShareProtocol.parseReply(reply.payload()).status() != ShareProtocol.Status.OK) {
                    refused++;
                }
                if (reply != null) {
                    reply.closeFds();
                }
            }
            finally {
                Posix.closeQuietly(bad);
            }
        }
        System.out.println("done " + refused);
    }
}
