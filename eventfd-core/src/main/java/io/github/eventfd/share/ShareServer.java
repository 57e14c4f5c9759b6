package io.github.eventfd.share;

import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.eventfd.EventFd;
import io.github.eventfd.internal.EpollEventArray;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import io.github.eventfd.internal.UnixSocket;
import org.jspecify.annotations.Nullable;

/**
 * Serves one shared channel on its socket, on the channel's own thread: accepts peers, checks their
 * credentials and hello, hands them the eventfd, keeps broadcast subscribers, forwards the fan-in eventfd to
 * them, and drops a peer when its connection ends. Nothing a peer sends can stop it: every refusal is
 * answered, reported and the connection closed, with any descriptor it carried.
 */
final class ShareServer implements AutoCloseable {

    private static final long WAKEUP = 0;

    private static final long LISTENER = 1;

    private static final long FAN_IN = 2;

    private static final int MAX_PEERS = 256;

    private final ShareOptions options;

    private final Topology topology;

    private final Refusals refusals;

    private final UnixSocket listening;

    private final OwnedFd epoll;

    private final Map<Long, Peer> peers = new ConcurrentHashMap<>();

    private long nextToken = 3;

    private ShareServer(ShareOptions options, Topology topology, Refusals refusals, UnixSocket listening) {
        this.options = options;
        this.topology = topology;
        this.refusals = refusals;
        this.listening = listening;
        this.epoll = new OwnedFd(Posix.epollCreate(), "epoll");
    }

    /**
     * Listen on the socket, its permissions in force from the moment the socket file exists; the caller
     * holds the lock and has removed any stale socket file.
     * @throws ShareException if the socket cannot be served
     */
    static ShareServer start(ShareOptions options, Topology topology, Refusals refusals) {
        UnixSocket listening;
        try {
            listening = UnixSocket.listen(options.socket(), 64, mode(options.socketPermissions()));
        }
        catch (RuntimeException ex) {
            throw new ShareException(ShareErrorReason.IO, "cannot serve " + options.socket() + ": " + ex, ex);
        }
        try {
            return new ShareServer(options, topology, refusals, listening);
        }
        catch (RuntimeException ex) {
            listening.close();
            throw new ShareException(ShareErrorReason.IO, "cannot serve " + options.socket() + ": " + ex, ex);
        }
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 0400 >> permission.ordinal();
        }
        return mode;
    }

    /** Serve until the wake-up rings. */
    void run(Wakeup wakeup) {
        int epfd = this.epoll.acquire();
        OwnedFd wakeupFd = wakeup.descriptor();
        int wakeupNumber = wakeupFd.acquire();
        int listenFd = this.listening.acquire();
        try {
            watch(epfd, wakeupNumber, WAKEUP);
            watch(epfd, listenFd, LISTENER);
            EventFd fanIn = this.topology.fanIn();
            if (fanIn == null) {
                loop(epfd, null);
                return;
            }
            OwnedFd fanInFd = EventFdAccess.get().descriptor(fanIn);
            watch(epfd, fanInFd.acquire(), FAN_IN);
            try {
                loop(epfd, fanIn);
            }
            finally {
                fanInFd.release();
            }
        }
        finally {
            this.listening.release();
            wakeupFd.release();
            this.epoll.release();
        }
    }

    private void loop(int epfd, @Nullable EventFd fanIn) {
        EpollEventArray events = new EpollEventArray(32);
        for (;;) {
            int ready = Posix.epollWait(epfd, events, -1);
            for (int i = 0; i < ready; i++) {
                long token = events.data(i);
                if (token == WAKEUP) {
                    return;
                }
                if (token == LISTENER) {
                    acceptAll(epfd);
                }
                else if (token == FAN_IN && fanIn != null) {
                    long count = fanIn.tryRead();
                    if (count != 0 && this.topology instanceof BroadcastTopology broadcast) {
                        broadcast.send(count, true);
                    }
                }
                else {
                    Peer peer = this.peers.get(token);
                    if (peer != null) {
                        peer.readable(epfd);
                    }
                }
            }
        }
    }

    private static void watch(int epfd, int fd, long token) {
        Posix.epollCtl(epfd, LibC.EPOLL_CTL_ADD, fd, Scratch.current().epollEvent(LibC.EPOLLIN, token));
    }

    private void acceptAll(int epfd) {
        UnixSocket connection;
        while ((connection = this.listening.accept()) != null) {
            UnixSocket.Credentials credentials;
            try {
                credentials = connection.peerCredentials();
            }
            catch (RuntimeException ex) {
                connection.close();
                this.refusals.report(ShareErrorReason.IO, "cannot read peer credentials: " + ex.getMessage());
                continue;
            }
            if (!this.options.allowedUids().contains(credentials.uid())) {
                refuse(connection, ShareProtocol.Status.DENIED, "uid " + credentials.uid() + " (pid "
                        + credentials.pid() + ") is not allowed; allowed uids are " + this.options.allowedUids());
                continue;
            }
            if (this.peers.size() >= MAX_PEERS) {
                refuse(connection, ShareProtocol.Status.BUSY, "already serving " + MAX_PEERS + " peers");
                continue;
            }
            long token = this.nextToken++;
            Peer peer = new Peer(token, connection, credentials);
            int fd = connection.acquire();
            try {
                watch(epfd, fd, token);
            }
            catch (RuntimeException ex) {
                connection.close();
                this.refusals.report(ShareErrorReason.IO, "cannot watch pid " + credentials.pid() + ": " + ex.getMessage());
                continue;
            }
            finally {
                connection.release();
            }
            this.peers.put(token, peer);
        }
    }

    private void refuse(UnixSocket connection, ShareProtocol.Status status, String detail) {
        connection.send(ShareProtocol.reply(status, detail));
        connection.close();
        this.refusals.report(status.refusalReason(), detail);
    }

    List<PeerInfo> peers() {
        List<PeerInfo> infos = new ArrayList<>();
        for (Peer peer : this.peers.values()) {
            if (peer.attached) {
                infos.add(peer.info());
            }
        }
        return infos;
    }

    @Override
    public void close() {
        this.peers.values().forEach(Peer::drop);
        this.peers.clear();
        this.listening.close();
        this.epoll.close();
    }

    /** One connected process. */
    private final class Peer {

        private final long token;

        private final UnixSocket connection;

        private final UnixSocket.Credentials credentials;

        private volatile boolean attached;

        private Topology.@Nullable Subscriber subscriber;

        Peer(long token, UnixSocket connection, UnixSocket.Credentials credentials) {
            this.token = token;
            this.connection = connection;
            this.credentials = credentials;
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
                refusals.report(ShareErrorReason.IO, "receiving from pid " + this.credentials.pid() + ": "
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
                refusals.report(ShareErrorReason.MALFORMED, "pid " + this.credentials.pid()
                        + " sent a message after attaching");
                disconnect(epfd);
                return;
            }
            try {
                attach(message);
            }
            catch (ShareException ex) {
                message.closeFds();
                this.connection.send(ShareProtocol.reply(ShareProtocol.Status.of(ex.reason()),
                        String.valueOf(ex.getMessage())));
                refusals.report(ex.reason(), "pid " + this.credentials.pid() + ": " + ex.getMessage());
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
            if (!hello.channel().equals(options.channel())) {
                throw new ShareException(ShareErrorReason.UNKNOWN_CHANNEL, "this socket serves channel '"
                        + options.channel() + "', not '" + hello.channel() + "'");
            }
            if (hello.kind() != options.kind() || hello.mode() != options.mode()) {
                throw new ShareException(ShareErrorReason.MISMATCH, "channel '" + options.channel() + "' is "
                        + options.kind() + "/" + options.mode() + ", peer asked for " + hello.kind() + "/" + hello.mode());
            }
            int expectedFds = (hello.kind() == ShareKind.BROADCAST && hello.subscribe()) ? 1 : 0;
            if (message.fds().size() != expectedFds) {
                throw new ShareException(ShareErrorReason.FD_COUNT, "hello carried " + message.fds().size()
                        + " descriptors, expected " + expectedFds);
            }
            if (expectedFds == 1) {
                EventFd subscribed = ReceivedDescriptors.adopt(message.fds().get(0), hello.mode());
                this.subscriber = topology.subscribe(subscribed, new PeerInfo(this.credentials.pid(),
                        this.credentials.uid(), this.credentials.gid(), true));
            }
            this.connection.send(ShareProtocol.reply(ShareProtocol.Status.OK, ""),
                    EventFdAccess.get().descriptor(topology.handedOut()));
            this.attached = true;
        }

        void disconnect(int epfd) {
            peers.remove(this.token);
            int fd = this.connection.acquire();
            try {
                Posix.epollCtl(epfd, LibC.EPOLL_CTL_DEL, fd, 0L);
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
                topology.unsubscribe(current);
            }
            this.connection.close();
        }
    }
}
