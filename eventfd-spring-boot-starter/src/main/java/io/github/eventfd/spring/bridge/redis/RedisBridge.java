package io.github.eventfd.spring.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgeErrorReason;
import io.github.eventfd.spring.bridge.BridgeErrors;
import io.github.eventfd.spring.bridge.BridgeMessage;
import io.github.eventfd.spring.bridge.BridgeState;
import io.github.eventfd.spring.bridge.BridgedChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;

/**
 * The bridge through Redis. One thread, {@code eventfd-bridge-redis}, runs every Redis command of the bridge:
 * each round it sends what added up in each channel's {@link io.github.eventfd.spring.bridge.OutgoingSignals}, and
 * checks Redis with a PING when it sent nothing for a timeout. A round runs as soon as a signal finds its channel's
 * counter empty (the counter wakes the thread), so a signal on an idle bridge is sent at once; signals made while a
 * command is in flight add up and go in the next round's one message: how often the bridge talks to Redis follows
 * its own round trips, never the number of signals. Without a wake-up the thread sleeps until the next PING is due;
 * it runs a round every flush interval only while Redis is unreachable (its retry pause, which no signal shortens)
 * or while a bridged queue has units to claim that its local consumers cannot take yet.
 * A pub/sub subscription of its own receives the other hosts' messages, which are checked ({@link
 * BridgeMessage#decode}) and handed to {@link BridgedChannel#receive}. How a channel travels is its {@link Carrier},
 * chosen once by its mode.
 *
 * <p>Outages: a command that fails without an answer, or takes longer than the timeout, puts the bridge in {@link
 * BridgeState#RECONNECTING}. A message whose command failed is sent again, the same message with the same
 * sequence, until Redis takes it: a receiver counts a sequence once, so a copy that Redis took before the
 * failure showed is not counted twice; meanwhile new signals add up in the one counter. Lettuce reconnects and
 * subscribes again by itself. When Redis answers again, every bridged channel gets a resync event, since pub/sub
 * messages of other hosts sent meanwhile may be gone; a subscription made again does the same. A command Redis
 * answers with an error (a refusal: a key of another type, an ACL, out of memory) is counted and kept for the next
 * round like a failed one, but is no outage and no reason to resync: Redis is reachable.
 */
public final class RedisBridge implements Bridge, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(RedisBridge.class);

    /** After the channels' lifecycle, so that deliveries run before counts arrive, and stopped before it. */
    public static final int PHASE = io.github.eventfd.spring.EventFdChannelRegistry.PHASE + 1;

    private static final long STOP_WAIT_MILLIS = 5_000;

    private static final long REFUSAL_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final RedisConnectionFactory connectionFactory;

    private final RedisBridgeSettings settings;

    private final String sender;

    private final List<Carrier> carriers = new CopyOnWriteArrayList<>();

    private final Map<String, Carrier> byTopic = new ConcurrentHashMap<>();

    private final BridgeErrors errors = new BridgeErrors();

    private final LongAdder resyncs = new LongAdder();

    /** Topics subscribed to at least once: a later subscription is one made again after a reconnect. */
    private final Map<String, Boolean> subscribed = new ConcurrentHashMap<>();

    private final AtomicReference<Status> status = new AtomicReference<>(new Status(BridgeState.STARTING, 0));

    /** When the command running now started ({@link System#nanoTime()}), 0 when none runs. */
    private volatile long commandSince;

    /** The thread of the current run; {@code null} once a stop gave up waiting for it. */
    private volatile @Nullable Thread thread;

    /**
     * The thread that has not ended yet, {@code null} if none: a start takes it back rather than start a second
     * one beside it (the carriers are written by one thread only). Guarded by {@link #handoff}.
     */
    private @Nullable Thread live;

    /** Guards {@link #live}: what a start and a thread about to end decide between them. */
    private final Object handoff = new Object();

    /** A stop called on the bridge's own thread found Redis unreachable: the thread's last step sends nothing. */
    private volatile boolean outageAtStop;

    /** {@link #wakeUp}, made once: the outgoing counters call it on the signalling threads. */
    private final Runnable wakeUpTask = this::wakeUp;

    /**
     * A wake-up came since the thread last looked. The thread's park permit alone is not enough: a Redis command
     * waits for its reply by parking too, and takes the permit of a wake-up that came meanwhile.
     */
    private volatile boolean woken;

    private volatile boolean running;

    /** The counts not sent were logged for this run: by the thread as it ends, or by a stop that gave up waiting. */
    private final AtomicBoolean unsentReported = new AtomicBoolean();

    private @Nullable RedisConnection subscriptionConnection;

    private long lastCommand;

    private long lastSubscribeAttempt;

    /** When a refusal was last logged ({@link System#nanoTime()}), 0 if never. */
    private volatile long lastRefusalLog;

    /**
     * Create the bridge.
     * @param connectionFactory where connections come from (Boot's {@code RedisConnectionFactory})
     * @param settings prefixes, flush interval, claim batch and timeout
     * @param sender the id of this process in messages, new at each start
     */
    public RedisBridge(RedisConnectionFactory connectionFactory, RedisBridgeSettings settings, String sender) {
        this.connectionFactory = Objects.requireNonNull(connectionFactory, "'connectionFactory' must not be null");
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        if (!BridgeMessage.isValidId(sender)) {
            throw new IllegalArgumentException("'sender' is not a valid id: '" + sender + "'");
        }
        this.sender = sender;
    }

    @Override
    public String engine() {
        return "redis";
    }

    @Override
    public void attach(BridgedChannel channel) {
        if (this.running) {
            throw new IllegalStateException("The Redis bridge runs already: attach '" + channel.name() + "' before it starts");
        }
        String topic = this.settings.channelPrefix() + channel.name();
        Carrier carrier = switch (channel.mode()) {
            case BROADCAST -> new BroadcastCarrier(channel, topic, this.sender);
            case QUEUE -> new QueueCarrier(channel, topic, this.settings.keyPrefix() + "{" + channel.name() + "}",
                    this.sender,
                    this.settings.claimBatch());
        };
        if (this.byTopic.putIfAbsent(topic, carrier) != null) {
            throw new IllegalArgumentException("eventfd channel '" + channel.name() + "' is bridged already");
        }
        this.carriers.add(carrier);
        channel.outgoing().wakeUpWith(this.wakeUpTask);
    }

    /** Run a round now, if the thread waits for one: what a signal on an empty counter or a queue notice calls. */
    void wakeUp() {
        this.woken = true;
        Thread worker = this.thread;
        if (worker != null) {
            LockSupport.unpark(worker);
        }
    }

    @Override
    public List<BridgedChannel> channels() {
        return this.carriers.stream().map(Carrier::channel).toList();
    }

    @Override
    public BridgeState state() {
        Status current = this.status.get();
        long since = this.commandSince;
        if (current.state() == BridgeState.CONNECTED && since != 0
                && System.nanoTime() - since > this.settings.timeout().toNanos()) {
            return BridgeState.RECONNECTING;
        }
        return current.state();
    }

    @Override
    public Duration disconnectedFor() {
        Status current = this.status.get();
        long since = (current.state() == BridgeState.RECONNECTING) ? current.since() : this.commandSince;
        if (since == 0 || current.state() == BridgeState.STOPPED) {
            return Duration.ZERO;
        }
        long nanos = System.nanoTime() - since;
        if (current.state() == BridgeState.CONNECTED && nanos <= this.settings.timeout().toNanos()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(nanos);
    }

    /** The timeout, in nanoseconds. */
    long timeoutNanos() {
        return this.settings.timeout().toNanos();
    }

    /** The thread of the bridge's run, {@code null} before the first start. */
    @Nullable Thread worker() {
        return this.thread;
    }

    @Override
    public BridgeErrors errors() {
        return this.errors;
    }

    @Override
    public long resyncCount() {
        return this.resyncs.sum();
    }

    @Override
    public long claimBacklog() {
        long sum = 0;
        for (Carrier carrier : this.carriers) {
            sum += carrier.backlog();
        }
        return sum;
    }

    /**
     * Start the bridge's thread, if a channel is attached: a bridge without channels never talks to Redis.
     */
    @Override
    public synchronized void start() {
        if (this.running || this.carriers.isEmpty()) {
            return;
        }
        this.unsentReported.set(false);
        this.outageAtStop = false;
        this.status.set(new Status(BridgeState.STARTING, 0));
        synchronized (this.handoff) {
            Thread previous = this.live;
            if (previous != null) {
                // the thread of the last run has not ended (a stop gave up on its command, or it still finishes
                // that run): it runs this one too once it is done, so that no two threads ever share the carriers
                this.thread = previous;
                this.running = true;
                LockSupport.unpark(previous);
                return;
            }
            Thread worker = new Thread(this::run, "eventfd-bridge-redis");
            worker.setDaemon(true);
            this.live = worker;
            this.thread = worker;
            this.running = true;
            worker.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (!this.running) {
            return;
        }
        Thread worker = this.thread;
        boolean onWorker = worker == Thread.currentThread();
        // on the bridge's own thread (a listener of a resync it runs), nothing is in flight: the state is the one
        // its last step must go by, and waiting for it would only wait for itself
        this.outageAtStop = onWorker && this.status.get().state() == BridgeState.RECONNECTING;
        this.running = false;
        if (worker != null && !onWorker) {
            LockSupport.unpark(worker);
            try {
                worker.join(STOP_WAIT_MILLIS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                logger.warn("The Redis bridge thread did not stop within " + STOP_WAIT_MILLIS + " ms (a Redis command "
                        + "waits); it is a daemon and ends with its command");
                // the thread may wait for as long as the client's command timeout (60 s by default): say now what
                // it holds, rather than when it ends or never
                reportUnsent();
                // this run is over: the thread leaves the channels alone once its command ends
                this.thread = null;
                worker.interrupt();
            }
        }
        this.status.set(new Status(BridgeState.STOPPED, 0));
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        Thread self = Thread.currentThread();
        do {
            while (ownsRun(self)) {
                // a stop that gave up on a command interrupts it; a start took the thread back since
                Thread.interrupted();
                try {
                    round(self);
                }
                catch (RuntimeException ex) {
                    // a command that failed was counted and marked the outage: the next round tries again
                }
                if (ownsRun(self)) {
                    pause();
                }
            }
            if (this.thread == self) {
                finish();
            }
        }
        while (resumes(self));
    }

    /** Whether the thread runs the current run: the bridge runs and no stop gave up on the thread. */
    private boolean ownsRun(Thread self) {
        return this.running && this.thread == self;
    }

    /**
     * The thread left its run: go on if a start took it back meanwhile, else end. A thread a stop gave up on (which
     * logged what it held) did not finish its run: it closes the subscription only.
     */
    private boolean resumes(Thread self) {
        synchronized (this.handoff) {
            if (ownsRun(self)) {
                // a start came while this thread finished the run before: the new run's counts are its own
                this.unsentReported.set(false);
                return true;
            }
            this.live = null;
            if (this.thread != self) {
                closeSubscription();
            }
            return false;
        }
    }

    /** The end of a run on its thread: the last send, the log of what was not sent, the subscription closed. */
    private void finish() {
        // what added up before the stop: one last try, no retries, and none while Redis does not answer (it would
        // only wait for the client's timeout), where what local consumers can take still goes to them
        if (this.outageAtStop || this.status.get().state() == BridgeState.RECONNECTING) {
            for (Carrier carrier : this.carriers) {
                carrier.flushLocally();
            }
        }
        else {
            try {
                for (Carrier carrier : this.carriers) {
                    carrier.flush(this);
                }
            }
            catch (RuntimeException ex) {
                logger.warn("The Redis bridge could not send what was signalled just before it stopped: "
                        + ex.getMessage());
            }
        }
        reportUnsent();
        closeSubscription();
    }

    /** Log, once per run, each channel's count that Redis did not confirm. */
    private void reportUnsent() {
        if (!this.unsentReported.compareAndSet(false, true)) {
            return;
        }
        for (Carrier carrier : this.carriers) {
            long unsent = carrier.unsent();
            if (unsent != 0) {
                logger.warn("eventfd channel '" + carrier.channel().name() + "': " + Long.toUnsignedString(unsent)
                        + " signals were not confirmed by Redis when the bridge stopped; other hosts may never "
                        + "receive them");
            }
        }
    }

    /**
     * Wait for the next round. During an outage: the flush interval, whatever wakes the thread, so that retries
     * never spin. Otherwise until a wake-up, or until the next PING is due, or the flush interval while a queue
     * polls its local consumers. A wake-up that came while the round ran ends the wait at once, so signals made
     * during a command go in the next round without delay.
     */
    private void pause() {
        long interval = this.settings.flushInterval().toNanos();
        if (this.status.get().state() == BridgeState.RECONNECTING) {
            long deadline = System.nanoTime() + interval;
            long left;
            while (this.running && (left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
            return;
        }
        long wait = this.settings.timeout().toNanos() - (System.nanoTime() - this.lastCommand);
        for (Carrier carrier : this.carriers) {
            if (carrier.polls()) {
                wait = Math.min(wait, interval);
            }
        }
        if (this.woken) {
            this.woken = false;
            return;
        }
        if (wait > 0) {
            // a wake-up after the check above unparks this park
            LockSupport.parkNanos(wait);
        }
        this.woken = false;
    }

    private void round(Thread self) {
        subscribeIfNeeded();
        for (Carrier carrier : this.carriers) {
            if (this.thread != self) {
                // a stop gave up on the command just ended: the rest of the round is not this thread's any more
                return;
            }
            carrier.flush(this);
        }
        if (this.status.get().state() != BridgeState.RECONNECTING) {
            // nothing to claim from a Redis that does not answer: one command per round probes it
            for (Carrier carrier : this.carriers) {
                if (this.thread != self) {
                    return;
                }
                carrier.claim(this);
            }
        }
        if (this.thread == self && System.nanoTime() - this.lastCommand > this.settings.timeout().toNanos()) {
            execute(RedisConnection::ping);
        }
    }

    /**
     * Run one command on a connection from the factory, marking an outage if it fails or takes longer than the
     * timeout, and its end if it is the first to succeed after one.
     * @throws RuntimeException what the command threw, after counting it
     */
    <T> @Nullable T execute(Function<RedisConnection, @Nullable T> command) {
        long started = System.nanoTime();
        this.commandSince = started;
        this.lastCommand = started;
        T result;
        try (RedisConnection connection = this.connectionFactory.getConnection()) {
            result = command.apply(connection);
        }
        catch (RuntimeException ex) {
            this.errors.increment(BridgeErrorReason.ENGINE);
            if (isErrorReply(ex)) {
                refused(ex);
            }
            else {
                outage(started, ex);
            }
            // only now: until the outage is marked, the command running for longer than the timeout is what reports
            // it (state()), and a health check in between would read CONNECTED while Redis does not answer
            this.commandSince = 0;
            throw ex;
        }
        this.commandSince = 0;
        long ended = System.nanoTime();
        // the first command also connects: only a slow command of a bridge that was connected is an outage
        if (ended - started > this.settings.timeout().toNanos() && this.status.get().state() != BridgeState.STARTING) {
            outage(started, null);
        }
        connected(ended);
        return result;
    }

    /**
     * Whether Redis answered the command with an error (a refusal: WRONGTYPE, NOPERM, OOM, ...) rather than not
     * answering: Lettuce's {@code RedisCommandExecutionException} in the causes, or Spring's translation of a Jedis
     * data error.
     */
    static boolean isErrorReply(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof InvalidDataAccessApiUsageException) {
                return true;
            }
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                if (type.getName().equals("io.lettuce.core.RedisCommandExecutionException")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Redis answered with an error: it is reachable, so this is no outage and no reason to resync; the count is kept
     * and sent again. Logged at most once per {@link #REFUSAL_LOG_NANOS}.
     */
    private void refused(RuntimeException ex) {
        long now = System.nanoTime();
        if (this.lastRefusalLog == 0 || now - this.lastRefusalLog > REFUSAL_LOG_NANOS) {
            this.lastRefusalLog = now;
            Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
            logger.warn("Redis refused a command of the eventfd bridge (" + cause.getMessage() + "); what it "
                    + "carried is kept and sent again (counted in eventfd.bridge.errors{reason=engine})");
        }
        connected(now);
    }

    private void outage(long since, @Nullable RuntimeException cause) {
        Status current = this.status.get();
        if (current.state() == BridgeState.RECONNECTING || current.state() == BridgeState.STOPPED) {
            return;
        }
        if (this.status.compareAndSet(current, new Status(BridgeState.RECONNECTING, since))) {
            logger.warn("Redis is unreachable for the eventfd bridge" + ((cause != null) ? " (" + cause.getMessage() + ")"
                    : " (a command took longer than " + this.settings.timeout().toMillis() + " ms)")
                    + "; local delivery goes on and signals add up until it is back");
        }
    }

    private void connected(long now) {
        Status current = this.status.get();
        if (current.state() == BridgeState.CONNECTED || current.state() == BridgeState.STOPPED) {
            return;
        }
        if (!this.status.compareAndSet(current, new Status(BridgeState.CONNECTED, 0))) {
            return;
        }
        if (current.state() == BridgeState.RECONNECTING) {
            logger.info("Redis answered again after " + Duration.ofNanos(now - current.since()).toMillis()
                    + " ms; the eventfd bridge resyncs every bridged channel");
            resyncAll("Redis reconnected: messages of other hosts may have been lost");
        }
    }

    private void resyncAll(String reason) {
        this.resyncs.increment();
        for (Carrier carrier : this.carriers) {
            carrier.channel().resync(reason);
        }
    }

    /**
     * Subscribe if there is no live subscription, at most once per timeout; a failure is counted and marks the
     * outage, and the round goes on (what waits must still be delivered locally where the carrier does that).
     */
    private void subscribeIfNeeded() {
        RedisConnection current = this.subscriptionConnection;
        if (current != null && current.isSubscribed() && !current.isClosed()) {
            return;
        }
        long now = System.nanoTime();
        if (this.carriers.isEmpty() || (this.lastSubscribeAttempt != 0
                && now - this.lastSubscribeAttempt < this.settings.timeout().toNanos())) {
            return;
        }
        this.lastSubscribeAttempt = now;
        closeSubscription();
        byte[][] topics = this.carriers.stream().map(c -> c.topic().getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        RedisConnection connection = null;
        try {
            connection = this.connectionFactory.getConnection();
            connection.subscribe(new Receiver(), topics);
            this.subscriptionConnection = connection;
        }
        catch (RuntimeException ex) {
            if (connection != null) {
                closeQuietly(connection);
            }
            this.errors.increment(BridgeErrorReason.ENGINE);
            outage(now, ex);
        }
    }

    private void closeSubscription() {
        RedisConnection connection = this.subscriptionConnection;
        this.subscriptionConnection = null;
        if (connection != null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(RedisConnection connection) {
        try {
            connection.close();
        }
        catch (RuntimeException ex) {
            // closing a broken connection
        }
    }

    /** Receives what other hosts publish; runs on a Lettuce thread. */
    private final class Receiver implements MessageListener, SubscriptionListener {

        @Override
        public void onMessage(Message message, byte @Nullable [] pattern) {
            Carrier carrier = RedisBridge.this.byTopic.get(new String(message.getChannel(), StandardCharsets.UTF_8));
            if (carrier == null) {
                return;
            }
            BridgeMessage received;
            try {
                received = BridgeMessage.decode(message.getBody());
            }
            catch (BridgeMessage.RefusedMessageException ex) {
                RedisBridge.this.errors.increment(ex.reason());
                if (logger.isDebugEnabled()) {
                    logger.debug("Refused a message on " + carrier.topic() + ": " + ex.getMessage());
                }
                return;
            }
            carrier.received(received, RedisBridge.this);
        }

        @Override
        public void onChannelSubscribed(byte[] channel, long count) {
            String topic = new String(channel, StandardCharsets.UTF_8);
            Carrier carrier = RedisBridge.this.byTopic.get(topic);
            if (carrier != null && RedisBridge.this.subscribed.put(topic, Boolean.TRUE) != null) {
                RedisBridge.this.resyncs.increment();
                carrier.channel().resync("subscribed again to " + topic + " after Redis reconnected: messages of other "
                        + "hosts may have been lost");
            }
        }
    }

    /** The state and since when ({@link System#nanoTime()}, 0 if not relevant): swapped as one. */
    private record Status(BridgeState state, long since) {
    }

    @Override
    public String toString() {
        return "RedisBridge(" + state() + ", " + this.carriers.size() + " channels, sender " + this.sender + ")";
    }
}
