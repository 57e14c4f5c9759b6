package io.github.eventfd.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.EventFdRules;
import io.github.eventfd.EventFdSupport;
import io.github.eventfd.EventFdUnavailableException;
import io.github.eventfd.PollerRegistration;
import io.github.eventfd.SignalCallback;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.Posix;
import org.jspecify.annotations.Nullable;

/**
 * A channel shared by processes on one host through a Unix socket that hands the eventfd itself to each
 * peer ({@code SCM_RIGHTS}): after attaching, a signal is one {@code write(2)}, with no broker and no
 * bytes copied.
 *
 * <pre>{@code
 * ShareOptions options = ShareOptions.builder("orders", Path.of("/run/app/orders.sock")).build();
 * try (SharedChannel orders = SharedChannel.open(options, ShareListener.NONE)) {
 *     orders.register(poller, (fd, count) -> process(count));   // follows a takeover by itself
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
 * attach or takeover {@link ShareListener#resync(String)} is called. A registration made with
 * {@link #register(EventFdPoller, SignalCallback)} follows the channel to whatever eventfd it reads next.
 *
 * <h2>Contract</h2>
 * It is an {@link EventCounter} with the same contract as {@link EventFd}: reads consume from the eventfd
 * this process reads, and a signal that would overflow that counter throws
 * {@link io.github.eventfd.CounterOverflowException}.
 *
 * <h2>Security</h2>
 * The socket's directory must belong to this process's uid or to root and be writable by nobody else, or
 * be root's and sticky; otherwise {@link #open} fails. The lock file is never reached through a symbolic
 * link and must be a regular file of this uid; the socket file has {@link ShareOptions#socketPermissions()}
 * from the moment it exists, and only a socket is ever removed at its name. Both sides check the other's uid
 * (SO_PEERCRED) against {@link ShareOptions#allowedUids()}. A received descriptor is used only if it is a
 * non-blocking eventfd in the channel's mode; any other or surplus descriptor is closed.
 */
public final class SharedChannel implements EventCounter {

    private static final System.Logger logger = System.getLogger(SharedChannel.class.getName());

    private final ShareOptions options;

    private final ShareListener listener;

    private final Refusals refusals;

    private final Election election;

    private final Wakeup wakeup;

    private final Topology topology;

    private final ShareClient client;

    private final AtomicReference<Link> link = new AtomicReference<>(new Link.Detached());

    private final List<FollowingRegistration> registrations = new CopyOnWriteArrayList<>();

    private final Thread thread;

    private volatile boolean closed;

    /** When the channel last lost its server or stepped down ({@link System#nanoTime()}). */
    private volatile long reconnectingSince;

    /** How long retiring a replaced eventfd waits for calls still in the kernel. */
    static final Duration RETIRE_WAIT = Duration.ofSeconds(5);

    private static final long BACKOFF_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final long BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(5);

    private SharedChannel(ShareOptions options, ShareListener listener) {
        this.options = options;
        this.listener = listener;
        this.refusals = new Refusals(options.channel(), listener);
        this.election = new Election(options);
        this.wakeup = new Wakeup();
        try {
            this.topology = Topology.of(options, this.refusals);
        }
        catch (RuntimeException ex) {
            this.wakeup.close();
            throw ex;
        }
        this.client = new ShareClient(options, this.topology, this.wakeup, this.refusals, () -> this.closed);
        this.thread = new Thread(this::run, "eventfd-share-" + options.channel());
        this.thread.setDaemon(true);
    }

    /**
     * Serve or attach, as the role says, then keep doing so on a thread of the channel's own.
     * @param options how to share
     * @return the open channel, serving or attached
     * @throws ShareException if it could neither serve nor attach within
     * {@link ShareOptions#attachTimeout()}, or the role is owner and another process serves
     * @throws EventFdUnavailableException if eventfd cannot be used here
     */
    public static SharedChannel open(ShareOptions options) {
        return open(options, ShareListener.NONE);
    }

    /**
     * Serve or attach, as the role says, then keep doing so on a thread of the channel's own.
     * @param options how to share
     * @param listener told about resyncs and refusals
     * @return the open channel, serving or attached
     * @throws ShareException if it could neither serve nor attach within
     * {@link ShareOptions#attachTimeout()}, or the role is owner and another process serves
     * @throws EventFdUnavailableException if eventfd cannot be used here
     */
    public static SharedChannel open(ShareOptions options, ShareListener listener) {
        Objects.requireNonNull(options, "'options' must not be null");
        Objects.requireNonNull(listener, "'listener' must not be null");
        EventFdSupport.ensureAvailability();
        if (!Posix.nowaitReads()) {
            throw new EventFdUnavailableException("sharing a channel between processes needs Linux 5.12 or later, where "
                    + "a read of an eventfd never waits whatever another process does to its flags (preadv2 with "
                    + "RWF_NOWAIT); this kernel is " + System.getProperty("os.version"), null);
        }
        SocketDirectory.prepare(options.socket(), options.socketPermissions(), options.role() != ShareRole.ATTACH,
                options.allowedUids());
        SharedChannel channel = new SharedChannel(options, listener);
        try {
            channel.firstElection();
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

    private void firstElection() {
        long deadline = System.nanoTime() + this.options.attachTimeout().toNanos();
        for (;;) {
            if (tryServe() || tryAttach()) {
                return;
            }
            ShareException hopeless = this.election.nobodyCanServe();
            if (hopeless != null) {
                throw hopeless;
            }
            if (System.nanoTime() - deadline > 0) {
                String refusal = this.refusals.last();
                String notServing = this.election.whyNotServing();
                throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel() + "': "
                        + ((refusal != null) ? "could not attach to " + this.options.socket() + " (" + refusal + ")"
                                : "nobody serves " + this.options.socket())
                        + " and this process "
                        + (this.options.role() == ShareRole.ATTACH ? "may not serve (role attach)" : "could not serve")
                        + ((notServing != null) ? " (" + notServing + ")" : "")
                        + "; gave up after " + this.options.attachTimeout());
            }
            this.wakeup.sleep(this.options.reconnectInterval());
        }
    }

    private void run() {
        long backoff = BACKOFF_MIN_NANOS;
        while (!this.closed) {
            try {
                if (step()) {
                    backoff = BACKOFF_MIN_NANOS;
                }
            }
            catch (Throwable ex) {
                if (this.closed) {
                    return;
                }
                if (ex instanceof VirtualMachineError && !(ex instanceof OutOfMemoryError)) {
                    throw (VirtualMachineError) ex;
                }
                // nothing that goes wrong ends sharing for good: give up what is held and hold a new election
                logger.log(System.Logger.Level.ERROR, "channel '" + this.options.channel() + "': sharing failed; "
                        + "stepping down and starting over in " + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms", ex);
                this.refusals.report(ShareErrorReason.IO, "sharing failed, starting over: " + ex);
                stepDown();
                this.wakeup.sleep(Duration.ofNanos(backoff));
                backoff = Math.min(backoff * 2, BACKOFF_MAX_NANOS);
            }
        }
    }

    /**
     * One turn of the channel's thread: serve until woken, wait for the server to go away, or look for one.
     * @return whether it served or attached (so the back-off starts again from its minimum)
     */
    private boolean step() {
        Link current = this.link.get();
        if (current instanceof Link.Serving serving) {
            serving.server().run(this.wakeup, this.election::stillWon);
            return true;
        }
        if (current instanceof Link.Attached attached) {
            this.client.awaitDisconnect(attached.connection());
            if (this.closed) {
                return true;
            }
            attached.connection().close();
            reconnecting(attached.server());
            logger.log(System.Logger.Level.INFO, "channel ''{0}'': server {1} went away; looking for the next",
                    this.options.channel(), attached.server());
        }
        if (tryServe() || tryAttach()) {
            return true;
        }
        this.wakeup.sleep(this.options.reconnectInterval());
        return false;
    }

    /** Give up serving or the connection after a failure, keeping the eventfds and their counts. */
    private void stepDown() {
        Link last = this.link.get();
        PeerInfo lastServer = null;
        try {
            if (last instanceof Link.Serving serving) {
                serving.server().close();
                this.election.removeOwnSocketFile(serving.server().boundSocket());
            }
            else if (last instanceof Link.Attached attached) {
                attached.connection().close();
                lastServer = attached.server();
            }
        }
        catch (RuntimeException ex) {
            logger.log(System.Logger.Level.WARNING, "channel ''{0}'': while stepping down: {1}", this.options.channel(),
                    ex.toString());
        }
        finally {
            this.election.resign();
            reconnecting(lastServer);
        }
    }

    private void reconnecting(@Nullable PeerInfo lastServer) {
        // the time first: a reader that sees the new state sees when it began
        this.reconnectingSince = System.nanoTime();
        this.link.set(new Link.Reconnecting(lastServer));
    }

    private boolean tryServe() {
        if (!this.election.tryWin()) {
            return false;
        }
        boolean takeover = this.link.get() instanceof Link.Reconnecting;
        ShareServer server;
        try {
            this.topology.prepareToServe();
            this.election.removeSocketFile();
            server = ShareServer.start(this.options, this.topology, this.refusals);
        }
        catch (RuntimeException ex) {
            this.election.resign();
            throw ex;
        }
        this.link.set(new Link.Serving(server));
        if (takeover) {
            resync("took over serving " + this.options.socket());
        }
        logger.log(System.Logger.Level.INFO, "channel ''{0}'': serving {1}", this.options.channel(),
                this.options.socket());
        return true;
    }

    private boolean tryAttach() {
        ShareClient.Attachment attachment;
        try {
            attachment = this.client.attach();
        }
        catch (ShareException ex) {
            this.refusals.report(ex.reason(), String.valueOf(ex.getMessage()));
            if (ex.reason().isDefinitive() && this.link.get() instanceof Link.Detached) {
                // at open, a refusal that another attempt cannot change ends the attach with its reason
                throw new ShareException(ex.reason(), "channel '" + this.options.channel() + "': could not attach to "
                        + this.options.socket() + ": " + ex.getMessage(), ex);
            }
            return false;
        }
        if (attachment == null) {
            return false;
        }
        EventFd left;
        try {
            left = this.topology.adopt(attachment.handed());
        }
        catch (RuntimeException ex) {
            attachment.connection().close();
            throw ex;
        }
        if (left != null) {
            // the new eventfd is published; readers move to it, then the old one is retired into it once the
            // signals already writing to it have returned, so no accepted count is lost
            EventFd now = this.topology.local();
            try {
                for (FollowingRegistration registration : this.registrations) {
                    try {
                        registration.follow(now);
                    }
                    catch (RuntimeException ex) {
                        // its poller was closed: that registration ends, the others move on
                        logger.log(System.Logger.Level.WARNING, "channel ''{0}'': {1} cannot follow to {2}: {3}",
                                this.options.channel(), registration, now, ex.toString());
                    }
                }
            }
            finally {
                if (!EventFdAccess.get().retireInto(left, now, RETIRE_WAIT)) {
                    logger.log(System.Logger.Level.WARNING, "channel ''{0}'': {1} was still in use after {2}; what "
                            + "is left in it stays there", this.options.channel(), left, RETIRE_WAIT);
                }
            }
        }
        this.link.set(new Link.Attached(attachment.connection(), attachment.server()));
        resync("attached to pid " + attachment.server().pid() + " serving " + this.options.socket());
        return true;
    }

    private void resync(String reason) {
        try {
            this.listener.resync(reason);
        }
        catch (RuntimeException ex) {
            logger.log(System.Logger.Level.ERROR, "resync listener of channel '" + this.options.channel() + "' failed",
                    ex);
        }
    }

    /**
     * Deliver the signals of this channel to {@code callback} on the poller thread. The registration
     * follows the channel: when a new server hands this process another eventfd, it moves there itself.
     * @param poller the poller
     * @param callback what to call; keep it short and non-blocking
     * @return the registration; close it to stop delivery
     * @throws IllegalStateException if the channel or the poller is closed
     */
    public PollerRegistration register(EventFdPoller poller, SignalCallback callback) {
        return follow(poller, callback, null);
    }

    /**
     * Deliver the signals of this channel to {@code callback} on {@code executor}, following the channel
     * as {@link #register(EventFdPoller, SignalCallback)} does.
     * @param poller the poller
     * @param callback what to call
     * @param executor where to call it
     * @return the registration; close it to stop delivery
     * @throws IllegalStateException if the channel or the poller is closed
     */
    public PollerRegistration register(EventFdPoller poller, SignalCallback callback, Executor executor) {
        return follow(poller, callback, Objects.requireNonNull(executor, "'executor' must not be null"));
    }

    private synchronized PollerRegistration follow(EventFdPoller poller, SignalCallback callback,
            @Nullable Executor executor) {
        Objects.requireNonNull(poller, "'poller' must not be null");
        Objects.requireNonNull(callback, "'callback' must not be null");
        if (this.closed) {
            throw new IllegalStateException(this + " is closed");
        }
        EventFd local = this.topology.local();
        FollowingRegistration registration = new FollowingRegistration(poller, local, callback, executor,
                this.registrations::remove);
        this.registrations.add(registration);
        if (this.topology.local() != local) {
            // a takeover published another eventfd meanwhile and may have missed this registration
            registration.follow(this.topology.local());
        }
        return registration;
    }

    /**
     * The eventfd this process reads now: the shared one for a queue, its own for a broadcast. A new server
     * may hand out another one; {@link #register(EventFdPoller, SignalCallback)} follows such a change,
     * a handle taken from here does not.
     * @return the handle
     */
    public EventFd localEventFd() {
        return this.topology.local();
    }

    /**
     * What the channel is doing now.
     * @return the state
     */
    public ShareState state() {
        return this.link.get().state();
    }

    /**
     * How long the channel has been without a server: since it lost its server or stepped down after a
     * failure, while it is {@link ShareState#RECONNECTING}.
     * @return the time, or {@link Duration#ZERO} while it serves or is attached
     */
    public Duration reconnectingFor() {
        if (!(this.link.get() instanceof Link.Reconnecting)) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, System.nanoTime() - this.reconnectingSince));
    }

    /**
     * The processes at the other end: those attached to this one when serving, the server when attached.
     * @return the peers
     */
    public List<PeerInfo> peers() {
        return this.link.get().peers();
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
        send(EventFdRules.checkSignal(n));
    }

    @Override
    public void signalUnsigned(long n) {
        send(EventFdRules.checkUnsignedSignal(n));
    }

    private void send(long n) {
        for (;;) {
            if (this.closed) {
                throw new IllegalStateException(this + " is closed");
            }
            try {
                this.topology.send(n, this.link.get() instanceof Link.Serving);
                return;
            }
            catch (IllegalStateException ex) {
                // the eventfd was retired by a takeover while this call held it: the next one is published
                if (this.closed) {
                    throw new IllegalStateException(this + " is closed", ex);
                }
            }
        }
    }

    /** Run a read on the eventfd this process reads now, again on its successor if a takeover retired it. */
    private long onLocal(ToLongFunction<EventFd> read) {
        for (;;) {
            if (this.closed) {
                throw new IllegalStateException(this + " is closed");
            }
            EventFd local = this.topology.local();
            try {
                return read.applyAsLong(local);
            }
            catch (IllegalStateException ex) {
                if (this.closed) {
                    throw new IllegalStateException(this + " is closed", ex);
                }
                if (this.topology.local() == local) {
                    throw ex;
                }
            }
        }
    }

    @Override
    public long tryRead() {
        return onLocal(EventFd::tryRead);
    }

    @Override
    public long read() {
        return onLocal(EventFd::read);
    }

    @Override
    public long read(Duration timeout) {
        return onLocal(local -> local.read(timeout));
    }

    @Override
    public long pendingCount() {
        return onLocal(EventFd::pendingCount);
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
        this.wakeup.ring();
        if (this.thread.isAlive() && Thread.currentThread() != this.thread) {
            try {
                this.thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        Link last = this.link.getAndSet(new Link.Detached());
        if (last instanceof Link.Serving serving) {
            serving.server().close();
            try {
                this.election.removeOwnSocketFile(serving.server().boundSocket());
            }
            catch (ShareException ex) {
                logger.log(System.Logger.Level.WARNING, "channel ''{0}'': {1}", this.options.channel(), ex.getMessage());
            }
        }
        else if (last instanceof Link.Attached attached) {
            attached.connection().close();
        }
        this.election.resign();
        this.registrations.forEach(FollowingRegistration::close);
        this.topology.close();
        this.wakeup.close();
    }

    @Override
    public String toString() {
        return "SharedChannel(" + this.options.channel() + ", " + this.options.kind() + ", " + state() + ", "
                + this.options.socket() + (this.closed ? ", closed)" : ")");
    }
}
