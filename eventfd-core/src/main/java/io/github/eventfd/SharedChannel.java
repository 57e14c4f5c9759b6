package io.github.eventfd;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import io.github.eventfd.internal.UnixSocket;
import org.jspecify.annotations.Nullable;

/**
 * A channel shared by processes on one host through a Unix socket that hands the eventfd itself to each
 * peer ({@code SCM_RIGHTS}): after attaching, a signal is one {@code write(2)}, with no broker and no
 * bytes copied.
 *
 * <pre>{@code
 * ShareOptions options = new ShareOptions("orders", Path.of("/run/app/orders.sock"), ShareKind.QUEUE,
 *         EventFdMode.COUNTER, 0, ShareRole.AUTO, PosixFilePermissions.fromString("rw-------"),
 *         Set.of(SharedChannel.currentUid()), true, Duration.ofMillis(100));
 * try (SharedChannel orders = SharedChannel.open(options, ShareListener.NONE, Duration.ofSeconds(10))) {
 *     poller.register(orders.localEventFd(), (fd, count) -> process(count));
 *     orders.signal();
 * }
 * }</pre>
 *
 * <h2>Kinds</h2>
 * {@link ShareKind#QUEUE}: every participant holds the same eventfd, so a signal from anyone is consumed
 * by exactly one reader. {@link ShareKind#BROADCAST}: each consuming participant keeps its own eventfd and
 * hands it to the serving process, which writes every signal to every subscriber; other participants
 * signal through a shared fan-in eventfd that the serving process forwards.
 *
 * <h2>Roles and restarts</h2>
 * Exactly one process serves the socket: the one holding an exclusive lock on {@code <socket>.lock}. The
 * kernel drops the lock when that process dies, so there is no stale owner. With {@link ShareRole#AUTO},
 * a participant that sees its server go away takes the lock and serves the eventfd it already holds, so
 * the kernel counter, and every signal in it, survives the restart of any one process; the others attach
 * to it. A stale socket file left by a crashed server is replaced by the next lock holder. After every
 * attach or takeover {@link ShareListener#resync(String)} is called.
 *
 * <h2>Security</h2>
 * The socket file gets {@link ShareOptions#socketPermissions()}; both sides check the other's uid
 * (SO_PEERCRED) against {@link ShareOptions#allowedUids()}. A received descriptor is used only if it is a
 * non-blocking eventfd in the channel's mode; any other or surplus descriptor is closed.
 */
public final class SharedChannel implements EventCounter {

    private static final System.Logger logger = System.getLogger(SharedChannel.class.getName());

    private static final long REPEATED_REFUSAL_QUIET = TimeUnit.SECONDS.toNanos(30);

    private final ShareOptions options;

    private final ShareListener listener;

    private final ServeLock serveLock;

    private final OwnedFd wakeup;

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private final Thread thread;

    private volatile ShareState state = ShareState.DETACHED;

    private volatile @Nullable EventFd queue;

    private volatile @Nullable EventFd local;

    private volatile @Nullable EventFd fanIn;

    private volatile @Nullable ShareServer server;

    private volatile @Nullable UnixSocket connection;

    private volatile @Nullable PeerInfo serverPeer;

    private volatile boolean closed;

    private volatile @Nullable String lastRefusal;

    private volatile long lastRefusalLogged;

    private SharedChannel(ShareOptions options, ShareListener listener) {
        this.options = options;
        this.listener = listener;
        this.serveLock = new ServeLock(options.socket(), options.socketPermissions());
        this.wakeup = new OwnedFd(Posix.eventfd(0, false), "eventfd-wakeup");
        this.thread = new Thread(this::run, "eventfd-share-" + options.channel());
        this.thread.setDaemon(true);
    }

    /**
     * Serve or attach, as the role says, then keep doing so on a thread of the channel's own.
     * @param options how to share
     * @param listener told about resyncs and refusals
     * @param attachTimeout how long to keep trying when nobody serves yet and this process may not serve
     * @return the open channel, serving or attached
     * @throws ShareException if it could neither serve nor attach in time, or the role is owner and another
     * process serves
     * @throws EventFdUnavailableException if eventfd cannot be used here
     */
    public static SharedChannel open(ShareOptions options, ShareListener listener, Duration attachTimeout) {
        Objects.requireNonNull(options, "'options' must not be null");
        Objects.requireNonNull(listener, "'listener' must not be null");
        EventFdSupport.ensureAvailability();
        SharedChannel channel = new SharedChannel(options, listener);
        try {
            channel.firstElection(attachTimeout);
        }
        catch (RuntimeException ex) {
            channel.close();
            throw ex;
        }
        channel.thread.start();
        return channel;
    }

    /**
     * The uid this process runs as, the default for {@link ShareOptions#allowedUids()}.
     * @return the effective uid
     */
    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        }
        catch (IOException | UnsupportedOperationException ex) {
            throw new EventFdUnavailableException("cannot read this process's uid from /proc/self", ex);
        }
    }

    private void firstElection(Duration attachTimeout) {
        prepareLocal();
        long deadline = System.nanoTime() + attachTimeout.toNanos();
        for (;;) {
            if (tryServe()) {
                return;
            }
            if (tryAttach()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                String refusal = this.lastRefusal;
                throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel() + "': "
                        + ((refusal != null) ? "could not attach to " + this.options.socket() + " (" + refusal + ")"
                                : "nobody serves " + this.options.socket())
                        + " and this process "
                        + (this.options.role() == ShareRole.ATTACH ? "may not serve (role attach)" : "could not serve")
                        + "; gave up after " + attachTimeout);
            }
            sleepUnlessWoken(this.options.reconnectInterval());
        }
    }

    private void prepareLocal() {
        if (this.options.kind() == ShareKind.BROADCAST) {
            this.local = EventFd.create(this.options.mode(), this.options.consume() ? this.options.initialValue() : 0);
        }
    }

    private void run() {
        try {
            while (!this.closed) {
                if (this.state == ShareState.SERVING) {
                    held(this.server, "server").run(this.wakeup);
                    continue;
                }
                if (this.state == ShareState.ATTACHED) {
                    awaitDisconnect();
                    if (this.closed) {
                        break;
                    }
                    this.state = ShareState.RECONNECTING;
                    logger.log(System.Logger.Level.INFO, "channel ''{0}'': server {1} went away; looking for the next",
                            this.options.channel(), this.serverPeer);
                }
                if (!tryServe() && !tryAttach()) {
                    sleepUnlessWoken(this.options.reconnectInterval());
                }
            }
        }
        catch (Throwable ex) {
            if (!this.closed) {
                logger.log(System.Logger.Level.ERROR, "channel '" + this.options.channel() + "' stopped sharing", ex);
                this.listener.refused(ShareErrorReason.IO, "sharing stopped: " + ex);
                this.state = ShareState.DETACHED;
            }
        }
    }

    private boolean tryServe() {
        if (this.options.role() == ShareRole.ATTACH || !tryLock()) {
            if (this.options.role() == ShareRole.OWNER) {
                throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel()
                        + "' has role owner but another process serves " + this.options.socket());
            }
            return false;
        }
        boolean takeover = this.state == ShareState.RECONNECTING;
        if (this.options.kind() == ShareKind.QUEUE && this.queue == null) {
            this.queue = EventFd.create(this.options.mode(), this.options.initialValue());
        }
        if (this.options.kind() == ShareKind.BROADCAST && this.fanIn == null) {
            this.fanIn = EventFd.create(EventFdMode.COUNTER, 0);
        }
        closeConnection();
        try {
            Files.deleteIfExists(this.options.socket());
            UnixSocket listening = UnixSocket.listen(this.options.socket(), 64);
            try {
                Files.setPosixFilePermissions(this.options.socket(), this.options.socketPermissions());
            }
            catch (IOException | RuntimeException ex) {
                listening.close();
                throw ex;
            }
            this.server = new ShareServer(this, listening);
        }
        catch (IOException ex) {
            this.serveLock.release();
            throw new ShareException(ShareErrorReason.IO, "cannot serve " + this.options.socket() + ": " + ex, ex);
        }
        this.state = ShareState.SERVING;
        if (takeover) {
            resync("took over serving " + this.options.socket());
        }
        logger.log(System.Logger.Level.INFO, "channel ''{0}'': serving {1}", this.options.channel(), this.options.socket());
        return true;
    }

    private boolean tryLock() {
        try {
            return this.serveLock.tryAcquire();
        }
        catch (AccessDeniedException ex) {
            if (this.options.role() == ShareRole.OWNER) {
                throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel() + "' has role owner "
                        + "but may not open " + this.serveLock.path() + ": " + ex.getMessage(), ex);
            }
            // this process may not serve here (another user's files): it can still attach
            return false;
        }
    }

    private boolean tryAttach() {
        UnixSocket socket;
        try {
            socket = UnixSocket.connect(this.options.socket());
        }
        catch (NativeCallException ex) {
            return false;
        }
        try {
            PeerInfo peer = handshake(socket);
            this.connection = socket;
            this.serverPeer = peer;
            this.state = ShareState.ATTACHED;
            resync("attached to pid " + peer.pid() + " serving " + this.options.socket());
            return true;
        }
        catch (ShareException ex) {
            socket.close();
            refused(ex.reason(), String.valueOf(ex.getMessage()));
            return false;
        }
        catch (RuntimeException ex) {
            socket.close();
            refused(ShareErrorReason.IO, "attaching to " + this.options.socket() + ": " + ex.getMessage());
            return false;
        }
    }

    private PeerInfo handshake(UnixSocket socket) {
        UnixSocket.Credentials credentials = socket.peerCredentials();
        if (!this.options.allowedUids().contains(credentials.uid())) {
            throw new ShareException(ShareErrorReason.DENIED_UID, "server of " + this.options.socket() + " runs as uid "
                    + credentials.uid() + "; allowed uids are " + this.options.allowedUids());
        }
        boolean subscribe = this.options.kind() == ShareKind.BROADCAST && this.options.consume();
        byte[] hello = ShareProtocol.hello(new ShareProtocol.Hello(this.options.kind(), this.options.mode(), subscribe,
                this.options.channel()));
        if (subscribe) {
            EventFd own = held(this.local, "local eventfd");
            int fd = own.retainDescriptor();
            try {
                socket.send(hello, fd);
            }
            finally {
                own.releaseDescriptor();
            }
        }
        else {
            socket.send(hello, -1);
        }
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
        }
        catch (RuntimeException ex) {
            reply.closeFds();
            throw ex;
        }
        EventFdMode handedMode = (this.options.kind() == ShareKind.QUEUE) ? this.options.mode() : EventFdMode.COUNTER;
        EventFd handed = EventFd.adopt(reply.fds().get(0), handedMode);
        if (this.options.kind() == ShareKind.QUEUE) {
            EventFd held = this.queue;
            this.queue = replace(held, handed);
            if (held != null && this.queue != held) {
                this.listener.eventFdReplaced(this.queue);
            }
        }
        else {
            this.fanIn = replace(this.fanIn, handed);
        }
        return new PeerInfo(credentials.pid(), credentials.uid(), credentials.gid(), false);
    }

    /** Switch to the eventfd the server handed out, moving any count left in the one held before. */
    private EventFd replace(@Nullable EventFd held, EventFd handed) {
        if (held == null) {
            return handed;
        }
        if (sameEventFd(held, handed)) {
            handed.close();
            return held;
        }
        long moved;
        while ((moved = held.tryRead()) != 0) {
            handed.signalUnsigned(moved);
        }
        held.close();
        return handed;
    }

    private static boolean sameEventFd(EventFd a, EventFd b) {
        String idA = eventFdId(a);
        return idA != null && idA.equals(eventFdId(b));
    }

    private static @Nullable String eventFdId(EventFd eventFd) {
        int fd = eventFd.retainDescriptor();
        try {
            return Files.readString(Path.of("/proc/self/fdinfo/" + fd)).lines()
                    .filter(line -> line.startsWith("eventfd-id:")).findFirst().orElse(null);
        }
        catch (IOException ex) {
            return null;
        }
        finally {
            eventFd.releaseDescriptor();
        }
    }

    private UnixSocket.Received receiveReply(UnixSocket socket) {
        int fd = socket.acquire();
        int wake = this.wakeup.acquire();
        try {
            if (Posix.pollIn(Scratch.current(), fd, wake, 5_000) == 0) {
                throw new ShareException(ShareErrorReason.IO, "no reply from " + this.options.socket() + " within 5s");
            }
        }
        finally {
            this.wakeup.release();
            socket.release();
        }
        UnixSocket.Received reply = socket.receive();
        if (reply == null || reply.endOfStream()) {
            throw new ShareException(ShareErrorReason.IO, "server closed the connection without a reply");
        }
        return reply;
    }

    private void awaitDisconnect() {
        UnixSocket socket = held(this.connection, "connection");
        for (;;) {
            int fd = socket.acquire();
            int wake = this.wakeup.acquire();
            try {
                Posix.pollIn(Scratch.current(), fd, wake, -1);
            }
            finally {
                this.wakeup.release();
                socket.release();
            }
            if (this.closed) {
                return;
            }
            UnixSocket.Received message;
            try {
                message = socket.receive();
            }
            catch (RuntimeException ex) {
                break;
            }
            if (message == null) {
                continue;
            }
            message.closeFds();
            if (message.endOfStream()) {
                break;
            }
            refused(ShareErrorReason.MALFORMED, "server sent an unexpected message after attaching");
        }
        closeConnection();
    }

    private void closeConnection() {
        UnixSocket socket = this.connection;
        this.connection = null;
        this.serverPeer = null;
        if (socket != null) {
            socket.close();
        }
    }

    private void sleepUnlessWoken(Duration interval) {
        int wake = this.wakeup.acquire();
        try {
            Posix.pollIn(Scratch.current(), wake, wake, (int) Math.max(1, interval.toMillis()));
        }
        finally {
            this.wakeup.release();
        }
    }

    private void resync(String reason) {
        try {
            this.listener.resync(reason);
        }
        catch (RuntimeException ex) {
            logger.log(System.Logger.Level.ERROR, "resync listener of channel '" + this.options.channel() + "' failed", ex);
        }
    }

    void refused(ShareErrorReason reason, String detail) {
        String refusal = detail + " (" + reason.tag() + ")";
        long now = System.nanoTime();
        // a peer retrying every few hundred milliseconds would flood the log with the same line
        boolean repeated = refusal.equals(this.lastRefusal) && now - this.lastRefusalLogged < REPEATED_REFUSAL_QUIET;
        if (!repeated) {
            this.lastRefusalLogged = now;
        }
        this.lastRefusal = refusal;
        logger.log(repeated ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, "channel ''{0}'': {1}",
                this.options.channel(), refusal);
        try {
            this.listener.refused(reason, detail);
        }
        catch (RuntimeException ex) {
            logger.log(System.Logger.Level.ERROR, "share listener of channel '" + this.options.channel() + "' failed", ex);
        }
    }

    ShareOptions options() {
        return this.options;
    }

    /** The eventfd this process, serving, hands to each peer: the queue itself, or a broadcast's fan-in. */
    EventFd handedEventFd() {
        return (this.options.kind() == ShareKind.QUEUE) ? held(this.queue, "queue eventfd")
                : held(this.fanIn, "fan-in eventfd");
    }

    /** The fan-in eventfd of a broadcast, {@code null} for a queue. */
    @Nullable EventFd fanIn() {
        return this.fanIn;
    }

    void addSubscriber(Subscriber subscriber) {
        this.subscribers.add(subscriber);
    }

    void removeSubscriber(Subscriber subscriber) {
        this.subscribers.remove(subscriber);
        subscriber.eventFd().close();
    }

    /** Write {@code count} to every subscriber of a broadcast channel this process serves. */
    void fanOut(long count) {
        if (this.options.consume()) {
            writeTo(held(this.local, "local eventfd"), count);
        }
        for (Subscriber subscriber : this.subscribers) {
            writeTo(subscriber.eventFd(), count);
        }
    }

    private void writeTo(EventFd eventFd, long count) {
        try {
            eventFd.signalUnsigned(count);
        }
        catch (IllegalStateException ex) {
            // the subscriber left while the signal was on its way
        }
        catch (CounterOverflowException ex) {
            refused(ShareErrorReason.IO, "a subscriber's counter is full: " + ex.getMessage());
        }
    }

    /**
     * The eventfd this process reads: the shared one for a queue, its own for a broadcast.
     * @return the handle to register with a poller
     */
    public EventFd localEventFd() {
        return (this.options.kind() == ShareKind.QUEUE) ? held(this.queue, "queue eventfd")
                : held(this.local, "local eventfd");
    }

    /**
     * What the channel is doing now.
     * @return the state
     */
    public ShareState state() {
        return this.state;
    }

    /**
     * The processes at the other end: those attached to this one when serving, the server when attached.
     * @return the peers
     */
    public List<PeerInfo> peers() {
        ShareServer current = this.server;
        if (this.state == ShareState.SERVING && current != null) {
            return current.peers();
        }
        PeerInfo peer = this.serverPeer;
        return (peer != null) ? List.of(peer) : List.of();
    }

    /**
     * The sharing settings.
     * @return the options
     */
    public ShareOptions shareOptions() {
        return this.options;
    }

    @Override
    public EventFdMode mode() {
        return this.options.mode();
    }

    @Override
    public void signal() {
        send(1L);
    }

    @Override
    public void signal(long n) {
        Arguments.checkSignal(n);
        send(n);
    }

    @Override
    public void signalUnsigned(long n) {
        Arguments.checkUnsignedSignal(n);
        send(n);
    }

    /**
     * Signal every participant's reader, {@code n} already checked: one write to the queue eventfd, or, in a
     * broadcast, one write per subscriber when this process serves and one write to the fan-in eventfd
     * otherwise.
     */
    private void send(long n) {
        if (this.closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (this.options.kind() == ShareKind.QUEUE) {
            held(this.queue, "queue eventfd").signalUnsigned(n);
        }
        else if (this.state == ShareState.SERVING) {
            fanOut(n);
        }
        else {
            held(this.fanIn, "fan-in eventfd").signalUnsigned(n);
        }
    }

    @Override
    public long tryRead() {
        return localEventFd().tryRead();
    }

    @Override
    public long read() {
        return localEventFd().read();
    }

    @Override
    public long read(Duration timeout) {
        return localEventFd().read(timeout);
    }

    @Override
    public long pendingCount() {
        return localEventFd().pendingCount();
    }

    @Override
    public boolean isClosed() {
        return this.closed;
    }

    /**
     * Stop sharing: stop the thread, drop every peer, give up serving (the socket file is removed and the
     * lock released, so another process takes over) and close every descriptor. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (this.closed) {
                return;
            }
            this.closed = true;
        }
        int wake = this.wakeup.acquire();
        try {
            Posix.writeCounter(wake, Scratch.one());
        }
        finally {
            this.wakeup.release();
        }
        if (this.thread.isAlive() && Thread.currentThread() != this.thread) {
            try {
                this.thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        ShareServer current = this.server;
        if (current != null) {
            current.close();
            try {
                Files.deleteIfExists(this.options.socket());
            }
            catch (IOException ex) {
                logger.log(System.Logger.Level.WARNING, "cannot remove " + this.options.socket(), ex);
            }
        }
        this.serveLock.release();
        closeConnection();
        this.subscribers.forEach(subscriber -> subscriber.eventFd().close());
        this.subscribers.clear();
        for (EventFd eventFd : new EventFd[] { this.queue, this.local, this.fanIn }) {
            if (eventFd != null) {
                eventFd.close();
            }
        }
        this.wakeup.close();
        this.state = ShareState.DETACHED;
    }

    /** A field that the channel's state guarantees is set once {@link #open} has returned. */
    private static <T> T held(@Nullable T value, String what) {
        if (value == null) {
            throw new IllegalStateException("no " + what + " in this state");
        }
        return value;
    }

    @Override
    public String toString() {
        return "SharedChannel(" + this.options.channel() + ", " + this.options.kind() + ", " + this.state + ", "
                + this.options.socket() + ")";
    }

    /** A broadcast subscriber: its eventfd and who it is. */
    record Subscriber(EventFd eventFd, PeerInfo peer) {
    }
}
