package io.github.eventfd.spring.autoconfigure;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdRules;
import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.ShareRole;
import io.github.eventfd.spring.bridge.BridgeEngine;
import io.github.eventfd.spring.bridge.BridgeMessage;
import io.github.eventfd.spring.bridge.redis.RedisBridgeSettings;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.FallbackPolicy;
import io.github.eventfd.spring.channel.InvalidSettingException;
import io.github.eventfd.spring.channel.SignalTiming;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of eventfd channels, under {@code eventfd}. A property under {@code eventfd} that is none of
 * these (a misspelled setting, a channel name with a dot written without brackets) fails startup instead of
 * being ignored.
 */
@ConfigurationProperties(prefix = "eventfd", ignoreUnknownFields = false)
public class EventFdProperties {

    /**
     * Whether to set up eventfd channels, notifiers and listeners.
     */
    private boolean enabled = true;

    /**
     * What to do where eventfd(2) is not available (not Linux): 'auto' logs a warning and uses in-JVM
     * counters with the same semantics, 'in-memory' always uses them, 'fail' stops startup. With in-JVM counters
     * a channel configured to be shared runs in this process only, with a warning naming it.
     */
    private FallbackPolicy fallback = FallbackPolicy.AUTO;

    private final Poller poller = new Poller();

    private final Listener listener = new Listener();

    private final Shutdown shutdown = new Shutdown();

    private final Bridge bridge = new Bridge();

    /**
     * Channels by name, each with: 'mode' ('counter', the default: a delivery carries the whole count, or
     * 'semaphore': one unit per delivery), 'initial-value' (count the channel starts with, 0 to 4294967295, default
     * 0), 'dispatch' ('executor', the default: listeners run on the listener executor, or 'inline': on the poller
     * thread), 'signal-timing' ('after-commit', the default, or 'immediate': when a signal made inside a transaction
     * rings), and to share the channel with other processes of the host: 'share.socket' (Unix socket path; setting
     * it shares the channel), 'share.kind' ('queue', the default, or 'broadcast'), 'share.role' ('auto', the
     * default, 'owner' or 'attach'), 'share.socket-mode' (octal, default 0600), 'share.allowed-uids' (default this
     * process's uid), 'share.reconnect-interval' (default 200ms), 'share.attach-timeout' (default 10s) and
     * 'share.max-peers' (peer processes the server attaches, default 1024), and to carry it across hosts:
     * 'bridge' ('none', the default, or 'redis'; 'share.kind' says whether it is a queue or a broadcast across
     * hosts too). A name with a dot needs brackets: eventfd.channels[orders.created].mode.
     */
    private final Map<String, Channel> channels = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public FallbackPolicy getFallback() {
        return this.fallback;
    }

    public void setFallback(FallbackPolicy fallback) {
        this.fallback = fallback;
    }

    public Poller getPoller() {
        return this.poller;
    }

    public Listener getListener() {
        return this.listener;
    }

    public Shutdown getShutdown() {
        return this.shutdown;
    }

    public Bridge getBridge() {
        return this.bridge;
    }

    public Map<String, Channel> getChannels() {
        return this.channels;
    }

    /**
     * The epoll thread.
     */
    public static class Poller {

        /**
         * Name of the thread that waits in epoll_wait for all channels.
         */
        private String threadName = "eventfd-poller";

        /**
         * Maximum number of ready channels one epoll_wait call returns.
         */
        private int maxEventsPerWait = 64;

        public String getThreadName() {
            return this.threadName;
        }

        public void setThreadName(String threadName) {
            this.threadName = threadName;
        }

        public int getMaxEventsPerWait() {
            return this.maxEventsPerWait;
        }

        public void setMaxEventsPerWait(int maxEventsPerWait) {
            this.maxEventsPerWait = maxEventsPerWait;
        }
    }

    /**
     * The executor of channels with executor dispatch, and the default error handling of listeners.
     */
    public static class Listener {

        /**
         * Threads of the listener executor. By default one per channel with executor dispatch, so that a
         * slow listener never delays another channel. Not used with virtual threads
         * (spring.threads.virtual.enabled on JDK 21+), where every delivery gets a thread of its own.
         */
        private @Nullable Integer executorThreads;

        /**
         * Whether @EventFdListener methods are called from the start; a listener's autoStartup attribute
         * overrides it. A channel whose listeners all wait does not read its counter until one is started.
         */
        private boolean autoStartup = true;

        /**
         * Whether each call of an @EventFdListener method is a Micrometer Observation ('eventfd.listener': a
         * timer and, with a tracer, a span), when an ObservationRegistry bean exists.
         */
        private boolean observationEnabled;

        private final Retry retry = new Retry();

        public boolean isAutoStartup() {
            return this.autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public boolean isObservationEnabled() {
            return this.observationEnabled;
        }

        public void setObservationEnabled(boolean observationEnabled) {
            this.observationEnabled = observationEnabled;
        }

        public @Nullable Integer getExecutorThreads() {
            return this.executorThreads;
        }

        public void setExecutorThreads(@Nullable Integer executorThreads) {
            if (executorThreads != null && executorThreads < 1) {
                throw new IllegalArgumentException("must be 1 or more but was " + executorThreads);
            }
            this.executorThreads = executorThreads;
        }

        public Retry getRetry() {
            return this.retry;
        }
    }

    /**
     * What the default error handler of {@code @EventFdListener} methods does after a failure: log and count
     * it, or, when enabled, deliver the failed count again with an exponential back-off.
     */
    public static class Retry {

        /**
         * Whether to deliver a failed count again; otherwise a failure is logged and counted only.
         */
        private boolean enabled;

        /**
         * Deliveries of one failed count in all, the first included, before the failure is given up.
         */
        private int maxAttempts = 3;

        /**
         * Wait before the first redelivery.
         */
        private Duration initialInterval = Duration.ofSeconds(1);

        /**
         * Factor applied to the wait after each redelivery.
         */
        private double multiplier = 1.0;

        /**
         * Longest wait between two deliveries.
         */
        private Duration maxInterval = Duration.ofSeconds(10);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("must be 1 or more (the first delivery included) but was "
                        + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialInterval() {
            return this.initialInterval;
        }

        public void setInitialInterval(Duration initialInterval) {
            if (initialInterval.isNegative()) {
                throw new IllegalArgumentException("must be zero or positive but was " + initialInterval);
            }
            this.initialInterval = initialInterval;
        }

        public double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("must be 1.0 or more but was " + multiplier);
            }
            this.multiplier = multiplier;
        }

        public Duration getMaxInterval() {
            return this.maxInterval;
        }

        public void setMaxInterval(Duration maxInterval) {
            if (maxInterval.isNegative()) {
                throw new IllegalArgumentException("must be zero or positive but was " + maxInterval);
            }
            this.maxInterval = maxInterval;
        }
    }

    /**
     * Shutdown.
     */
    public static class Shutdown {

        /**
         * Maximum time shutdown waits for running listeners and then delivers what was signalled before,
         * before the channels are closed.
         */
        private Duration drainTimeout = Duration.ofSeconds(5);

        public Duration getDrainTimeout() {
            return this.drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("must be zero or positive but was " + drainTimeout);
            }
            this.drainTimeout = drainTimeout;
        }
    }

    /**
     * Carrying channels across hosts, for channels with 'bridge' set.
     */
    public static class Bridge {

        /**
         * Id of this host in bridge messages: letters, digits and . _ : / @ -, at most 128. Processes that share
         * a channel on one host must have the same; hosts must have different ones. Defaults to the host name.
         */
        private @Nullable String hostId;

        private final Redis redis = new Redis();

        public @Nullable String getHostId() {
            return this.hostId;
        }

        public void setHostId(@Nullable String hostId) {
            if (hostId != null && !BridgeMessage.isValidId(hostId)) {
                throw new IllegalArgumentException("must be 1 to " + BridgeMessage.MAX_ID_LENGTH
                        + " letters, digits and . _ : / @ - but was '" + hostId + "'");
            }
            this.hostId = hostId;
        }

        public Redis getRedis() {
            return this.redis;
        }
    }

    /**
     * The Redis bridge. The connection is Spring Boot's, from spring.data.redis.*.
     */
    public static class Redis {

        /**
         * Prefix of the pub/sub channel of each bridged channel, followed by the channel name.
         */
        private String channelPrefix = "eventfd:channel:";

        /**
         * Prefix of the key that holds the units of a bridged queue, followed by the channel name in braces (a
         * Redis Cluster hash tag).
         */
        private String keyPrefix = "eventfd:queue:";

        /**
         * Pause between two rounds of the bridge that nothing woke: the retry pause while Redis is unreachable, and
         * how often a bridged queue checks whether its local consumers can take units waiting in Redis. Signals do
         * not wait for it: a signal on an idle bridge is sent at once, and signals made while a send is in flight
         * go in the next one, as one count. At most 1d.
         */
        private Duration flushInterval = Duration.ofMillis(5);

        /**
         * Most units a host claims at once from a bridged queue, when its local consumers have taken everything.
         */
        private int claimBatch = 64;

        /**
         * Maximum time a Redis command may take before Redis counts as unreachable (and bridged channels get a
         * resync event once it answers again); also the idle time after which the bridge checks Redis. At most 1d.
         */
        private Duration timeout = Duration.ofSeconds(1);

        public String getChannelPrefix() {
            return this.channelPrefix;
        }

        public void setChannelPrefix(String channelPrefix) {
            this.channelPrefix = channelPrefix;
        }

        public String getKeyPrefix() {
            return this.keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getFlushInterval() {
            return this.flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            if (flushInterval.isNegative() || flushInterval.isZero()
                    || flushInterval.compareTo(RedisBridgeSettings.MAX_DURATION) > 0) {
                throw new IllegalArgumentException("must be positive and at most 1d but was " + flushInterval);
            }
            this.flushInterval = flushInterval;
        }

        public int getClaimBatch() {
            return this.claimBatch;
        }

        public void setClaimBatch(int claimBatch) {
            if (claimBatch < 1) {
                throw new IllegalArgumentException("must be 1 or more but was " + claimBatch);
            }
            this.claimBatch = claimBatch;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(RedisBridgeSettings.MAX_DURATION) > 0) {
                throw new IllegalArgumentException("must be positive and at most 1d but was " + timeout);
            }
            this.timeout = timeout;
        }
    }

    /**
     * One channel.
     */
    public static class Channel {

        /**
         * How a delivery consumes the counter: 'counter' delivers the whole count at once, 'semaphore' one
         * unit per delivery.
         */
        private EventFdMode mode = EventFdMode.COUNTER;

        /**
         * Count the channel starts with, 0 to 4294967295.
         */
        private long initialValue;

        /**
         * Where the channel's listeners run: 'executor' on the listener executor, 'inline' on the poller
         * thread (short, non-blocking listeners only).
         */
        private Dispatch dispatch = Dispatch.EXECUTOR;

        /**
         * When a signal made inside a Spring-managed transaction rings: 'after-commit' once the transaction
         * commits (the signals of one transaction as one write of their sum) and not at all if it rolls back,
         * 'immediate' at once, before the data is committed. Outside a transaction signals always ring at once.
         */
        private SignalTiming signalTiming = SignalTiming.AFTER_COMMIT;

        private final Share share = new Share();

        /**
         * Which engine carries the channel across hosts: 'none' keeps it on this host, 'redis' bridges it through
         * Redis (needs Spring Data Redis and a RedisConnectionFactory). Its 'share.kind' says whether it is a queue
         * (every unit consumed once across all hosts) or a broadcast (every host sees every signal).
         */
        private BridgeEngine bridge = BridgeEngine.NONE;

        public Share getShare() {
            return this.share;
        }

        public BridgeEngine getBridge() {
            return this.bridge;
        }

        public void setBridge(BridgeEngine bridge) {
            this.bridge = bridge;
        }

        public EventFdMode getMode() {
            return this.mode;
        }

        public void setMode(EventFdMode mode) {
            this.mode = mode;
        }

        public long getInitialValue() {
            return this.initialValue;
        }

        public void setInitialValue(long initialValue) {
            try {
                EventFdRules.checkInitialValue(initialValue);
            }
            catch (IllegalArgumentException ex) {
                // the binder names the property: the message says only what is wrong
                throw new IllegalArgumentException(InvalidSettingException.of("initialValue", ex).getProblem());
            }
            this.initialValue = initialValue;
        }

        public Dispatch getDispatch() {
            return this.dispatch;
        }

        public void setDispatch(Dispatch dispatch) {
            this.dispatch = dispatch;
        }

        public SignalTiming getSignalTiming() {
            return this.signalTiming;
        }

        public void setSignalTiming(SignalTiming signalTiming) {
            this.signalTiming = signalTiming;
        }
    }

    /**
     * Sharing a channel with other processes on the host.
     */
    public static class Share {

        /**
         * Unix socket through which the eventfd is handed to other processes. Setting it shares the channel.
         */
        private @Nullable Path socket;

        /**
         * How signals reach processes: 'queue' (one shared counter, each signal consumed by exactly one
         * reader) or 'broadcast' (every subscriber sees every signal).
         */
        private ShareKind kind = ShareKind.QUEUE;

        /**
         * Which part this process plays: 'auto' serves when nobody does and takes over when the server
         * goes away, 'owner' always serves, 'attach' never serves.
         */
        private ShareRole role = ShareRole.AUTO;

        /**
         * Permissions of the socket file, in octal.
         */
        private String socketMode = "0600";

        /**
         * User ids a peer process may run as. Defaults to the uid of this process.
         */
        private List<Integer> allowedUids = new ArrayList<>();

        /**
         * Pause between attempts to reach the serving process.
         */
        private Duration reconnectInterval = Duration.ofMillis(200);

        /**
         * Maximum time startup waits for a serving process when this one may not serve (role 'attach').
         */
        private Duration attachTimeout = Duration.ofSeconds(10);

        /**
         * Maximum number of peer processes the serving process attaches, shared equally between the allowed uids.
         * Each peer costs the server up to three descriptors.
         */
        private int maxPeers = ShareOptions.DEFAULT_MAX_PEERS;

        public @Nullable Path getSocket() {
            return this.socket;
        }

        public void setSocket(@Nullable Path socket) {
            this.socket = socket;
        }

        public ShareKind getKind() {
            return this.kind;
        }

        public void setKind(ShareKind kind) {
            this.kind = kind;
        }

        public ShareRole getRole() {
            return this.role;
        }

        public void setRole(ShareRole role) {
            this.role = role;
        }

        public String getSocketMode() {
            return this.socketMode;
        }

        public void setSocketMode(String socketMode) {
            socketPermissions(socketMode);
            this.socketMode = socketMode;
        }

        public List<Integer> getAllowedUids() {
            return this.allowedUids;
        }

        public void setAllowedUids(List<Integer> allowedUids) {
            this.allowedUids = allowedUids;
        }

        public Duration getReconnectInterval() {
            return this.reconnectInterval;
        }

        public void setReconnectInterval(Duration reconnectInterval) {
            if (reconnectInterval.isNegative() || reconnectInterval.isZero()) {
                throw new IllegalArgumentException("must be positive but was " + reconnectInterval);
            }
            this.reconnectInterval = reconnectInterval;
        }

        public Duration getAttachTimeout() {
            return this.attachTimeout;
        }

        public void setAttachTimeout(Duration attachTimeout) {
            if (attachTimeout.isNegative()) {
                throw new IllegalArgumentException("must be zero or positive but was " + attachTimeout);
            }
            this.attachTimeout = attachTimeout;
        }

        public int getMaxPeers() {
            return this.maxPeers;
        }

        public void setMaxPeers(int maxPeers) {
            this.maxPeers = maxPeers;
        }

        /**
         * Parse an octal file mode such as {@code 0660}.
         * @param mode three or four octal digits, without set-uid, set-gid, sticky or execute bits
         * @return the permissions
         */
        static Set<PosixFilePermission> socketPermissions(String mode) {
            if (mode == null || !mode.matches("0?[0-7]{3}")) {
                throw new IllegalArgumentException("must be an octal mode such as 0600 or 0660 but was '" + mode + "'");
            }
            int bits = Integer.parseInt(mode, 8);
            if ((bits & 0111) != 0) {
                throw new IllegalArgumentException("must not set execute bits but was '" + mode + "'");
            }
            StringBuilder text = new StringBuilder();
            for (int shift = 6; shift >= 0; shift -= 3) {
                int part = (bits >> shift) & 7;
                text.append(((part & 4) != 0) ? 'r' : '-').append(((part & 2) != 0) ? 'w' : '-').append('-');
            }
            return PosixFilePermissions.fromString(text.toString());
        }
    }
}
