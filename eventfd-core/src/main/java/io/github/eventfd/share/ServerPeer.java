package io.github.eventfd.share;

import java.util.function.LongPredicate;

import io.github.eventfd.EventFd;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.UnixSocket;
import org.jspecify.annotations.Nullable;

/**
 * One process connected to a server: its credentials, its hello (checked against the channel's options),
 * its subscription to a broadcast, and its departure. A failure with it drops it alone.
 */
final class ServerPeer {

    private final long token;

    private final UnixSocket connection;

    private final UnixSocket.Credentials credentials;

    private final long helloDeadline = System.nanoTime() + ShareServer.HELLO_DEADLINE_NANOS;

    private final ShareOptions options;

    private final Topology topology;

    private final Refusals refusals;

    /** Removes this peer from the server's table; {@code false} if it was gone already. */
    private final LongPredicate forget;

    private volatile boolean attached;

    private Topology.@Nullable Subscriber subscriber;

    ServerPeer(long token, UnixSocket connection, UnixSocket.Credentials credentials, ShareOptions options,
            Topology topology, Refusals refusals, LongPredicate forget) {
        this.options = options;
        this.topology = topology;
        this.refusals = refusals;
        this.forget = forget;
        this.token = token;
        this.connection = connection;
        this.credentials = credentials;
    }

    long helloDeadline() {
        return this.helloDeadline;
    }

    boolean attached() {
        return this.attached;
    }

    Topology.@Nullable Subscriber subscriber() {
        return this.subscriber;
    }

    int uid() {
        return this.credentials.uid();
    }

    int pid() {
        return this.credentials.pid();
    }

    PeerInfo info() {
        return new PeerInfo(this.credentials.pid(), this.credentials.uid(), this.credentials.gid(),
                this.subscriber != null);
    }

    void readable(int epfd) {
        UnixSocket.Received message;
        try {
            message = this.connection.receive();
        }
        catch (RuntimeException ex) {
            this.refusals.report(ShareErrorReason.IO, "receiving from pid " + this.credentials.pid() + ": "
                    + ex.getMessage());
            disconnect(epfd);
            return;
        }
        if (message == null) {
            return;
        }
        if (message.endOfStream()) {
            disconnect(epfd);
            return;
        }
        if (this.attached) {
            message.closeFds();
            this.refusals.report(ShareErrorReason.MALFORMED, "pid " + this.credentials.pid()
                    + " sent a message after attaching");
            disconnect(epfd);
            return;
        }
        try {
            attach(message);
        }
        catch (ShareException ex) {
            message.closeFds();
            try {
                this.connection.send(ShareProtocol.reply(ShareProtocol.Status.of(ex.reason()),
                        String.valueOf(ex.getMessage())));
            }
            catch (RuntimeException sendFailure) {
                // the reason could not be told: the peer is dropped all the same
            }
            this.refusals.report(ex.reason(), "pid " + this.credentials.pid() + ": " + ex.getMessage());
            disconnect(epfd);
        }
        catch (RuntimeException ex) {
            // a failure with one peer (sending its reply, subscribing it) drops that peer only
            message.closeFds();
            this.refusals.report(ShareErrorReason.IO, "pid " + this.credentials.pid() + ": " + ex);
            disconnect(epfd);
        }
    }

    private void attach(UnixSocket.Received message) {
        if (message.truncated()) {
            throw new ShareException(ShareErrorReason.MALFORMED, "hello longer than " + UnixSocket.MAX_PAYLOAD
                    + " bytes");
        }
        if (message.controlTruncated()) {
            throw new ShareException(ShareErrorReason.FD_COUNT, "more descriptors than the protocol allows");
        }
        ShareProtocol.Hello hello = ShareProtocol.parseHello(message.payload());
        if (!hello.channel().equals(this.options.channel())) {
            throw new ShareException(ShareErrorReason.UNKNOWN_CHANNEL, "this socket serves channel '"
                    + this.options.channel() + "', not '" + hello.channel() + "'");
        }
        if (hello.kind() != this.options.kind() || hello.mode() != this.options.mode()) {
            throw new ShareException(ShareErrorReason.MISMATCH, "channel '" + this.options.channel() + "' is "
                    + this.options.kind() + "/" + this.options.mode() + ", peer asked for " + hello.kind() + "/" + hello.mode());
        }
        int expectedFds = (hello.kind() == ShareKind.BROADCAST && hello.subscribe()) ? 1 : 0;
        if (message.fds().size() != expectedFds) {
            throw new ShareException(ShareErrorReason.FD_COUNT, "hello carried " + message.fds().size()
                    + " descriptors, expected " + expectedFds);
        }
        if (expectedFds == 1) {
            EventFd subscribed = ReceivedDescriptors.adopt(message.fds().get(0), hello.mode());
            this.subscriber = this.topology.subscribe(subscribed, new PeerInfo(this.credentials.pid(),
                    this.credentials.uid(), this.credentials.gid(), true));
        }
        if (!this.connection.send(ShareProtocol.reply(ShareProtocol.Status.OK, ""),
                EventFdAccess.get().descriptor(this.topology.handedOut()))) {
            throw new ShareException(ShareErrorReason.IO, "could not hand the eventfd over: the connection is gone");
        }
        this.attached = true;
    }

    void disconnect(int epfd) {
        if (!this.forget.test(this.token)) {
            return;
        }
        int fd = this.connection.acquire();
        try {
            Posix.epollCtl(epfd, Linux.EPOLL_CTL_DEL, fd, 0L);
        }
        catch (RuntimeException ex) {
            // closing the connection below removes it from the epoll set all the same
        }
        finally {
            this.connection.release();
        }
        drop();
    }

    void drop() {
        Topology.Subscriber current = this.subscriber;
        if (current != null) {
            this.topology.unsubscribe(current);
        }
        this.connection.close();
    }
}
