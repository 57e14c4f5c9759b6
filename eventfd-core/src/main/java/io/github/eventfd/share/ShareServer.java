package io.github.eventfd.share;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.eventfd.CounterOverflowException;
import io.github.eventfd.EventFd;
import io.github.eventfd.NativeCallException;
import io.github.eventfd.internal.EpollEventArray;
import io.github.eventfd.internal.Errno;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.FileStat;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import io.github.eventfd.internal.UnixSocket;
import org.jspecify.annotations.Nullable;

/**
 * Serves one shared channel on its socket, on the channel's own thread: accepts peers, checks their
 * credentials and hello, hands them the eventfd, keeps broadcast subscribers (whose {@link FanOut} forwards
 * the fan-in eventfd to them), and drops a peer when its connection ends. Nothing a peer sends can stop it:
 * every refusal is answered, reported and the connection closed, with any descriptor it carried.
 */
final class ShareServer implements AutoCloseable {

    private static final long WAKEUP = 0;

    private static final long LISTENER = 1;

    private static final long DROPPED = 2;

    private static final long FIRST_PEER_TOKEN = 3;

    /** Connections that have not completed their hello: counted apart, each with a deadline. */
    private static final int MAX_PENDING = 64;

    private static final int MAX_PENDING_PER_UID = 16;

    static final long HELLO_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** How often a server checks that its lock and socket files are still the ones their paths name. */
    static final long OWNERSHIP_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Errors of accept4 that say "not now" (descriptors or memory short), not "never". */
    private static final Set<Integer> TRANSIENT_ACCEPT_ERRORS = Set.of(Errno.EMFILE, 23 /* ENFILE */,
            105 /* ENOBUFS */, 12 /* ENOMEM */);

    private static final long MIN_ACCEPT_PAUSE_MILLIS = 50;

    private static final long MAX_ACCEPT_PAUSE_MILLIS = 2_000;

    /** Accepts per wake-up, so that a connect flood cannot keep the thread from forwarding signals. */
    private static final int ACCEPTS_PER_WAKEUP = 16;

    private final ShareOptions options;

    private final Topology topology;

    private final Refusals refusals;

    private final UnixSocket listening;

    /** The socket file this server bound: it removes that one only, never a newer server's. */
    private final FileStat boundSocket;

    private BooleanSupplier stillElected = () -> true;

    private long nextOwnershipCheck;

    private final OwnedFd epoll;

    private final Map<Long, ServerPeer> peers = new ConcurrentHashMap<>();

    private final @Nullable FanOut fanOut;

    private long nextToken = FIRST_PEER_TOKEN;

    /** When a paused listening socket is watched again ({@link System#nanoTime()}), 0 when not paused. */
    private long acceptResumesAt;

    private long acceptPauseMillis = MIN_ACCEPT_PAUSE_MILLIS;

    private ShareServer(ShareOptions options, Topology topology, Refusals refusals, UnixSocket listening,
            FileStat boundSocket) {
        this.options = options;
        this.boundSocket = boundSocket;
        this.topology = topology;
        this.refusals = refusals;
        this.listening = listening;
        this.epoll = new OwnedFd(Posix.epollCreate(), "epoll");
        try {
            this.fanOut = (topology instanceof BroadcastTopology broadcast) ? fanOut(options, broadcast, refusals)
                    : null;
        }
        catch (RuntimeException ex) {
            this.epoll.close();
            throw ex;
        }
    }

    /**
     * The fan-out of a broadcast, which reads the fan-in (other participants' signals, also added to this
     * process's own eventfd when it consumes) and the outbound eventfd (this process's signals, already in its
     * own) itself: a signal wakes the fan-out's writer alone, never this server's thread.
     */
    private static FanOut fanOut(ShareOptions options, BroadcastTopology broadcast, Refusals refusals) {
        List<FanOut.Source> sources = new ArrayList<>();
        sources.add(new FanOut.Source(broadcast.handedOut(), count -> {
            if (broadcast.consumes()) {
                deliverLocally(broadcast, refusals, count);
            }
        }));
        EventFd outbound = broadcast.outbound();
        if (outbound != null) {
            sources.add(new FanOut.Source(outbound, count -> {
            }));
        }
        return new FanOut(options.channel(), broadcast::subscribers, sources);
    }

    private static void deliverLocally(BroadcastTopology broadcast, Refusals refusals, long count) {
        try {
            broadcast.local().signalUnsigned(count);
        }
        catch (CounterOverflowException ex) {
            refusals.report(ShareErrorReason.STALLED, "this process's own counter is full: " + ex.getMessage());
        }
        catch (IllegalStateException ex) {
            // closed: this process is shutting down
        }
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
            FileStat bound = FileStat.of(options.socket(), LinkOption.NOFOLLOW_LINKS);
            return new ShareServer(options, topology, refusals, listening, bound);
        }
        catch (IOException | RuntimeException ex) {
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

    /** The socket file this server bound. */
    FileStat boundSocket() {
        return this.boundSocket;
    }

    /**
     * Serve until the wake-up rings.
     * @param stillElected whether this process still holds the lock the lock path names, checked every
     * {@link #OWNERSHIP_CHECK_NANOS} with the socket path: if either names another file now (deleted by a
     * cleaner, replaced), another process may serve too, and this one steps down
     * @throws ShareException when it must step down
     */
    void run(Wakeup wakeup, BooleanSupplier stillElected) {
        this.stillElected = stillElected;
        this.nextOwnershipCheck = System.nanoTime() + OWNERSHIP_CHECK_NANOS;
        int epfd = this.epoll.acquire();
        OwnedFd wakeupFd = wakeup.descriptor();
        List<OwnedFd> held = new ArrayList<>();
        try {
            watch(epfd, hold(wakeupFd, held), WAKEUP);
            watch(epfd, hold(this.listening.descriptor(), held), LISTENER);
            if (this.fanOut != null) {
                watch(epfd, hold(EventFdAccess.get().descriptor(this.fanOut.droppedReady()), held), DROPPED);
            }
            loop(epfd);
        }
        finally {
            held.forEach(OwnedFd::release);
            this.epoll.release();
        }
    }

    private static int hold(OwnedFd fd, List<OwnedFd> held) {
        int number = fd.acquire();
        held.add(fd);
        return number;
    }

    private void loop(int epfd) {
        EpollEventArray events = new EpollEventArray(32);
        for (;;) {
            int ready = Posix.epollWait(epfd, events, millisToNextDeadline());
            for (int i = 0; i < ready; i++) {
                long token = events.data(i);
                if (token == WAKEUP) {
                    return;
                }
                if (token == LISTENER) {
                    acceptSome(epfd);
                }
                else if (token == DROPPED) {
                    disconnectDropped(epfd);
                }
                else {
                    ServerPeer peer = this.peers.get(token);
                    if (peer != null) {
                        peer.readable(epfd);
                    }
                }
            }
            closeLateHellos(epfd);
            resumeAcceptingWhenDue(epfd);
            checkOwnershipWhenDue();
        }
    }

    private void checkOwnershipWhenDue() {
        long now = System.nanoTime();
        if (now - this.nextOwnershipCheck < 0) {
            return;
        }
        this.nextOwnershipCheck = now + OWNERSHIP_CHECK_NANOS;
        boolean socketOurs;
        try {
            socketOurs = FileStat.of(this.options.socket(), LinkOption.NOFOLLOW_LINKS).sameFileAs(this.boundSocket);
        }
        catch (IOException ex) {
            socketOurs = false;
        }
        if (!socketOurs || !this.stillElected.getAsBoolean()) {
            throw new ShareException(ShareErrorReason.IO, (socketOurs ? "the lock file" : "the socket") + " of "
                    + this.options.socket() + " was removed or replaced, so another process may serve: stepping down");
        }
    }

    private int millisToNextDeadline() {
        long check = this.nextOwnershipCheck - System.nanoTime();
        int ownership = (check <= 0) ? 0 : (int) TimeUnit.NANOSECONDS.toMillis(check) + 1;
        int hello = millisToNextHelloDeadline();
        hello = (hello < 0) ? ownership : Math.min(hello, ownership);
        if (this.acceptResumesAt == 0) {
            return hello;
        }
        long remaining = this.acceptResumesAt - System.nanoTime();
        int resume = (remaining <= 0) ? 0 : (int) TimeUnit.NANOSECONDS.toMillis(remaining) + 1;
        return (hello < 0) ? resume : Math.min(hello, resume);
    }

    /** Disconnect the subscribers the fan-out dropped: a full counter, or a write stuck past its bound. */
    private void disconnectDropped(int epfd) {
        FanOut out = this.fanOut;
        if (out == null) {
            return;
        }
        out.droppedReady().tryRead();
        for (FanOut.Dropped dropped; (dropped = out.nextDropped()) != null;) {
            Topology.Subscriber stalled = dropped.subscriber();
            for (ServerPeer peer : this.peers.values()) {
                if (peer.subscriber() == stalled) {
                    this.refusals.report(ShareErrorReason.STALLED, "dropped subscriber pid " + stalled.peer().pid()
                            + ": " + dropped.why());
                    peer.disconnect(epfd);
                }
            }
            out.forget(stalled);
        }
    }

    /**
     * Out of descriptors or memory ({@code EMFILE}, {@code ENFILE}, {@code ENOBUFS}, {@code ENOMEM}): stop
     * watching the listening socket for a while (its pending connections wait in the backlog), go on serving
     * the attached peers, and try again later, waiting longer each time it happens again.
     */
    private void pauseAccepting(int epfd, NativeCallException cause) {
        this.refusals.report(ShareErrorReason.OUT_OF_RESOURCES, "accepting paused for " + this.acceptPauseMillis
                + " ms: " + cause.getMessage());
        int listenFd = this.listening.acquire();
        try {
            Posix.epollCtl(epfd, Linux.EPOLL_CTL_DEL, listenFd, 0L);
        }
        finally {
            this.listening.release();
        }
        this.acceptResumesAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.acceptPauseMillis);
        this.acceptPauseMillis = Math.min(this.acceptPauseMillis * 2, MAX_ACCEPT_PAUSE_MILLIS);
    }

    private void resumeAcceptingWhenDue(int epfd) {
        if (this.acceptResumesAt == 0 || System.nanoTime() - this.acceptResumesAt < 0) {
            return;
        }
        this.acceptResumesAt = 0;
        int listenFd = this.listening.acquire();
        try {
            watch(epfd, listenFd, LISTENER);
        }
        finally {
            this.listening.release();
        }
        acceptSome(epfd);
        if (this.acceptResumesAt == 0) {
            this.acceptPauseMillis = MIN_ACCEPT_PAUSE_MILLIS;
        }
    }

    private int millisToNextHelloDeadline() {
        long next = Long.MAX_VALUE;
        for (ServerPeer peer : this.peers.values()) {
            if (!peer.attached()) {
                next = Math.min(next, peer.helloDeadline());
            }
        }
        if (next == Long.MAX_VALUE) {
            return -1;
        }
        long remaining = next - System.nanoTime();
        return (remaining <= 0) ? 0 : (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining) + 1);
    }

    private void closeLateHellos(int epfd) {
        long now = System.nanoTime();
        for (ServerPeer peer : this.peers.values()) {
            if (!peer.attached() && now - peer.helloDeadline() >= 0) {
                this.refusals.report(ShareErrorReason.HELLO_TIMEOUT, "pid " + peer.pid()
                        + " sent no hello within " + TimeUnit.NANOSECONDS.toMillis(HELLO_DEADLINE_NANOS) + " ms");
                peer.disconnect(epfd);
            }
        }
    }

    private static void watch(int epfd, int fd, long token) {
        Posix.epollCtl(epfd, Linux.EPOLL_CTL_ADD, fd, Scratch.current().epollEvent(Linux.EPOLLIN, token));
    }

    private void acceptSome(int epfd) {
        for (int accepted = 0; accepted < ACCEPTS_PER_WAKEUP; accepted++) {
            UnixSocket connection;
            try {
                connection = this.listening.accept();
            }
            catch (NativeCallException ex) {
                if (!TRANSIENT_ACCEPT_ERRORS.contains(ex.errno())) {
                    throw ex;
                }
                pauseAccepting(epfd, ex);
                return;
            }
            if (connection == null) {
                return;
            }
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
            String full = noRoomFor(credentials.uid());
            if (full != null) {
                refuse(connection, ShareProtocol.Status.BUSY, full);
                continue;
            }
            long token = this.nextToken++;
            ServerPeer peer = new ServerPeer(token, connection, credentials, this.options, this.topology,
                    this.refusals, key -> this.peers.remove(key) != null);
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

    /**
     * Why a new connection of {@code uid} cannot be taken, or {@code null} if it can. Connections still in
     * their hello are limited apart from attached peers, in all and per uid; attached peers share
     * {@link ShareOptions#maxPeers()} equally between the allowed uids, so that no uid can take every slot. A write the
     * fan-out abandoned on a dropped subscriber counts as an attached peer of its uid until it returns.
     */
    private @Nullable String noRoomFor(int uid) {
        // a write left waiting holds a thread and a descriptor: nobody may leave more of them than it may attach peers
        int attached = (this.fanOut != null) ? this.fanOut.stuckWrites() : 0;
        int pending = 0;
        int attachedOfUid = (this.fanOut != null) ? this.fanOut.stuckWrites(uid) : 0;
        int pendingOfUid = 0;
        for (ServerPeer peer : this.peers.values()) {
            boolean sameUid = peer.uid() == uid;
            if (peer.attached()) {
                attached++;
                attachedOfUid += sameUid ? 1 : 0;
            }
            else {
                pending++;
                pendingOfUid += sameUid ? 1 : 0;
            }
        }
        int maxPeers = this.options.maxPeers();
        int perUid = Math.max(1, maxPeers / this.options.allowedUids().size());
        if (attached >= maxPeers) {
            return "already serving " + maxPeers + " peers, the peer limit";
        }
        if (attachedOfUid >= perUid) {
            return "uid " + uid + " already has " + perUid + " peers, its share of the peer limit " + maxPeers;
        }
        if (pending >= MAX_PENDING || pendingOfUid >= MAX_PENDING_PER_UID) {
            return "too many connections still in their hello (" + pending + " in all, " + pendingOfUid + " of uid "
                    + uid + ")";
        }
        return null;
    }

    private void refuse(UnixSocket connection, ShareProtocol.Status status, String detail) {
        try {
            connection.send(ShareProtocol.reply(status, detail));
        }
        catch (RuntimeException ex) {
            // the reason could not be told: the refusal stands all the same
        }
        finally {
            connection.close();
        }
        this.refusals.report(status.refusalReason(), detail);
    }

    List<PeerInfo> peers() {
        List<PeerInfo> infos = new ArrayList<>();
        for (ServerPeer peer : this.peers.values()) {
            if (peer.attached()) {
                infos.add(peer.info());
            }
        }
        return infos;
    }

    @Override
    public void close() {
        if (this.fanOut != null) {
            // it writes what this process signalled and the fan-in holds before the subscribers are dropped: a
            // signal() that returned while this process served reaches them (within the fan-out's close bound)
            this.fanOut.close();
        }
        this.peers.values().forEach(ServerPeer::drop);
        this.peers.clear();
        this.listening.close();
        this.epoll.close();
    }
}
