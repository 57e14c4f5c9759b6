package io.github.eventfd.share;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.eventfd.EventFd;
import io.github.eventfd.NativeCallException;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.UnixSocket;
import org.jspecify.annotations.Nullable;

/**
 * The client side of a shared channel: connects to the server, checks who it is, sends the hello (with
 * this process's own eventfd for a broadcast subscription), and takes the eventfd the server hands back;
 * once attached, waits for the server to go away.
 */
final class ShareClient {

    private static final int REPLY_TIMEOUT_MILLIS = 5_000;

    private final ShareOptions options;

    private final Topology topology;

    private final Wakeup wakeup;

    private final Refusals refusals;

    private final BooleanSupplier closed;

    ShareClient(ShareOptions options, Topology topology, Wakeup wakeup, Refusals refusals, BooleanSupplier closed) {
        this.options = options;
        this.closed = closed;
        this.topology = topology;
        this.wakeup = wakeup;
        this.refusals = refusals;
    }

    /** A completed attach: the connection to keep open, who serves, and the eventfd it handed out. */
    record Attachment(UnixSocket connection, PeerInfo server, EventFd handed) {
    }

    /**
     * Connect and attach.
     * @return the attachment, or {@code null} when nobody listens on the socket
     * @throws ShareException if the server or its reply was refused; the connection is closed
     */
    @Nullable Attachment attach() {
        UnixSocket socket;
        try {
            socket = UnixSocket.connectNonBlocking(this.options.socket());
        }
        catch (NativeCallException ex) {
            return null;
        }
        try {
            PeerInfo server = checkServer(socket);
            sendHello(socket);
            EventFd handed = receiveHanded(socket);
            return new Attachment(socket, server, handed);
        }
        catch (ShareException ex) {
            socket.close();
            throw ex;
        }
        catch (RuntimeException ex) {
            socket.close();
            throw new ShareException(ShareErrorReason.IO, "attaching to " + this.options.socket() + ": "
                    + ex.getMessage(), ex);
        }
    }

    private PeerInfo checkServer(UnixSocket socket) {
        UnixSocket.Credentials credentials = socket.peerCredentials();
        if (!this.options.allowedUids().contains(credentials.uid())) {
            throw new ShareException(ShareErrorReason.DENIED_UID, "server of " + this.options.socket() + " runs as uid "
                    + credentials.uid() + "; allowed uids are " + this.options.allowedUids());
        }
        return new PeerInfo(credentials.pid(), credentials.uid(), credentials.gid(), false);
    }

    private void sendHello(UnixSocket socket) {
        EventFd subscription = this.topology.subscription();
        byte[] hello = ShareProtocol.hello(new ShareProtocol.Hello(this.options.kind(), this.options.mode(),
                subscription != null, this.options.channel()));
        if (!socket.send(hello, (subscription != null) ? EventFdAccess.get().descriptor(subscription) : null)) {
            throw new ShareException(ShareErrorReason.IO, "could not send the hello to " + this.options.socket()
                    + ": the server went away or does not read");
        }
    }

    private EventFd receiveHanded(UnixSocket socket) {
        UnixSocket.Received reply = receiveReply(socket);
        try {
            if (reply.truncated() || reply.controlTruncated()) {
                throw new ShareException(ShareErrorReason.FD_COUNT, "reply did not fit");
            }
            ShareProtocol.Reply parsed = ShareProtocol.parseReply(reply.payload());
            if (parsed.status() != ShareProtocol.Status.OK) {
                throw new ShareException(parsed.status().refusalReason(), "server refused: " + parsed.reason());
            }
            if (reply.fds().size() != 1) {
                throw new ShareException(ShareErrorReason.FD_COUNT, "reply carried " + reply.fds().size()
                        + " descriptors, expected 1");
            }
            return ReceivedDescriptors.adopt(reply.fds().get(0), this.topology.handedMode());
        }
        catch (RuntimeException ex) {
            reply.closeFds();
            throw ex;
        }
    }

    private UnixSocket.Received receiveReply(UnixSocket socket) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLY_TIMEOUT_MILLIS);
        for (;;) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new ShareException(ShareErrorReason.IO, "no reply from " + this.options.socket() + " within "
                        + REPLY_TIMEOUT_MILLIS / 1000 + "s");
            }
            int fd = socket.acquire();
            try {
                if (this.wakeup.awaitReadable(fd, (int) TimeUnit.NANOSECONDS.toMillis(remaining) + 1) == 0) {
                    continue;
                }
            }
            finally {
                socket.release();
            }
            if (this.closed.getAsBoolean()) {
                throw new ShareException(ShareErrorReason.IO, "the channel was closed while attaching");
            }
            UnixSocket.Received reply = socket.receive();
            if (reply == null) {
                continue;
            }
            if (reply.endOfStream()) {
                throw new ShareException(ShareErrorReason.IO, "server closed the connection without a reply");
            }
            return reply;
        }
    }

    /**
     * Wait until the server closes the connection or the wake-up rings; a message after attaching is
     * refused as malformed and waiting goes on.
     */
    void awaitDisconnect(UnixSocket connection) {
        for (;;) {
            int fd = connection.acquire();
            try {
                this.wakeup.awaitReadable(fd, -1);
            }
            finally {
                connection.release();
            }
            if (this.closed.getAsBoolean()) {
                return;
            }
            UnixSocket.Received message;
            try {
                message = connection.receive();
            }
            catch (RuntimeException ex) {
                return;
            }
            if (message == null) {
                continue;
            }
            message.closeFds();
            if (message.endOfStream()) {
                return;
            }
            this.refusals.report(ShareErrorReason.MALFORMED, "server sent an unexpected message after attaching");
        }
    }
}
