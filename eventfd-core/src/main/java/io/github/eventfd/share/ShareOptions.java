package io.github.eventfd.share;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdRules;
import org.jspecify.annotations.Nullable;

/**
 * How a channel is shared between processes: built with {@link #builder(String, Path)}, checked once
 * when built.
 *
 * <pre>{@code
 * ShareOptions options = ShareOptions.builder("orders", Path.of("/run/app/orders.sock"))
 *         .kind(ShareKind.BROADCAST)
 *         .allowedUids(Set.of(1000, 1001))
 *         .build();
 * }</pre>
 */
public final class ShareOptions {

    /** The longest socket path: {@code sun_path} holds 108 bytes with the terminating zero. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    /** The default {@link #maxPeers()}. */
    public static final int DEFAULT_MAX_PEERS = 1024;

    /** The largest {@link #maxPeers()}: each peer costs the server up to three descriptors. */
    public static final int MAX_PEERS_LIMIT = 65_536;

    private final String channel;

    private final Path socket;

    private final ShareKind kind;

    private final EventFdMode mode;

    private final long initialValue;

    private final ShareRole role;

    private final Set<PosixFilePermission> socketPermissions;

    private final Set<Integer> allowedUids;

    private final boolean consume;

    private final Duration reconnectInterval;

    private final Duration attachTimeout;

    private final int maxPeers;

    private ShareOptions(Builder builder) {
        this.channel = builder.channel;
        this.socket = builder.socket;
        this.kind = builder.kind;
        this.mode = builder.mode;
        this.initialValue = builder.initialValue;
        this.role = builder.role;
        this.socketPermissions = Set.copyOf(builder.socketPermissions);
        this.allowedUids = (builder.allowedUids != null) ? Set.copyOf(builder.allowedUids)
                : Set.of(SharedChannel.currentUid());
        this.consume = builder.consume;
        this.reconnectInterval = builder.reconnectInterval;
        this.attachTimeout = builder.attachTimeout;
        this.maxPeers = builder.maxPeers;
    }

    /**
     * Options for a channel shared through a socket, with the defaults: a {@link ShareKind#QUEUE} in
     * {@link EventFdMode#COUNTER} mode starting at 0, role {@link ShareRole#AUTO}, socket mode
     * {@code rw-------}, only this process's uid allowed, consuming, reconnecting every 100 ms and waiting
     * up to 10 s for a server at open.
     * @param channel the channel name both sides use: 1 to 128 letters, digits, '.', '-' or '_'
     * @param socket the Unix socket path, at most 107 bytes; its parent directory is created if missing
     * @return a builder
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    public static Builder builder(String channel, Path socket) {
        return new Builder(channel, socket);
    }

    /**
     * The channel name both sides use.
     * @return the name
     */
    public String channel() {
        return this.channel;
    }

    /**
     * The Unix socket path.
     * @return the path
     */
    public Path socket() {
        return this.socket;
    }

    /**
     * Queue or broadcast.
     * @return the kind
     */
    public ShareKind kind() {
        return this.kind;
    }

    /**
     * Counter or semaphore; every participant uses the same.
     * @return the mode
     */
    public EventFdMode mode() {
        return this.mode;
    }

    /**
     * The count of an eventfd this process creates.
     * @return 0 to 4294967295
     */
    public long initialValue() {
        return this.initialValue;
    }

    /**
     * Auto, owner or attach.
     * @return the role
     */
    public ShareRole role() {
        return this.role;
    }

    /**
     * Permissions of the socket file; the lock file beside it is always owner-only.
     * @return the permissions
     */
    public Set<PosixFilePermission> socketPermissions() {
        return this.socketPermissions;
    }

    /**
     * The uids a peer may run as.
     * @return at least one uid
     */
    public Set<Integer> allowedUids() {
        return this.allowedUids;
    }

    /**
     * Whether this process reads the channel; a broadcast participant that does not subscribes no eventfd.
     * @return {@code true} if it reads
     */
    public boolean consume() {
        return this.consume;
    }

    /**
     * How long to wait between attempts to reach a server.
     * @return a positive duration
     */
    public Duration reconnectInterval() {
        return this.reconnectInterval;
    }

    /**
     * How long {@link SharedChannel#open} keeps trying when nobody serves yet and this process may not serve.
     * @return zero or more
     */
    public Duration attachTimeout() {
        return this.attachTimeout;
    }

    /**
     * How many peers the serving process attaches at most; they are shared equally between the allowed uids.
     * @return 1 to {@link #MAX_PEERS_LIMIT}
     */
    public int maxPeers() {
        return this.maxPeers;
    }

    @Override
    public String toString() {
        return "ShareOptions(" + this.channel + ", " + this.socket + ", " + this.kind + ", " + this.mode + ", "
                + this.role + ")";
    }

    /**
     * Builds {@link ShareOptions}; every setter checks its value and names it when it is bad.
     */
    public static final class Builder {

        private final String channel;

        private final Path socket;

        private ShareKind kind = ShareKind.QUEUE;

        private EventFdMode mode = EventFdMode.COUNTER;

        private long initialValue;

        private ShareRole role = ShareRole.AUTO;

        private Set<PosixFilePermission> socketPermissions = PosixFilePermissions.fromString("rw-------");

        private @Nullable Set<Integer> allowedUids;

        private boolean consume = true;

        private Duration reconnectInterval = Duration.ofMillis(100);

        private int maxPeers = DEFAULT_MAX_PEERS;

        private Duration attachTimeout = Duration.ofSeconds(10);

        private Builder(String channel, Path socket) {
            this.channel = EventFdRules.checkChannelName(channel);
            Objects.requireNonNull(socket, "'socket' must not be null");
            int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SOCKET_PATH_BYTES) {
                throw new IllegalArgumentException("socket path '" + socket + "' has " + bytes + " bytes; at most "
                        + MAX_SOCKET_PATH_BYTES + " fit in a Unix socket address");
            }
            this.socket = socket;
        }

        /**
         * Queue (competing consumers) or broadcast (every subscriber sees every signal).
         * @param kind the kind; default {@link ShareKind#QUEUE}
         * @return this builder
         */
        public Builder kind(ShareKind kind) {
            this.kind = Objects.requireNonNull(kind, "'kind' must not be null");
            return this;
        }

        /**
         * How reads consume the counter; every participant must use the same.
         * @param mode the mode; default {@link EventFdMode#COUNTER}
         * @return this builder
         */
        public Builder mode(EventFdMode mode) {
            this.mode = Objects.requireNonNull(mode, "'mode' must not be null");
            return this;
        }

        /**
         * The count of an eventfd this process creates.
         * @param initialValue 0 to 4294967295; default 0
         * @return this builder
         */
        public Builder initialValue(long initialValue) {
            this.initialValue = EventFdRules.checkInitialValue(initialValue);
            return this;
        }

        /**
         * Which part this process plays.
         * @param role the role; default {@link ShareRole#AUTO}
         * @return this builder
         */
        public Builder role(ShareRole role) {
            this.role = Objects.requireNonNull(role, "'role' must not be null");
            return this;
        }

        /**
         * Permissions of the socket file.
         * @param socketPermissions the permissions; default {@code rw-------}
         * @return this builder
         */
        public Builder socketPermissions(Set<PosixFilePermission> socketPermissions) {
            this.socketPermissions = Set.copyOf(
                    Objects.requireNonNull(socketPermissions, "'socketPermissions' must not be null"));
            return this;
        }

        /**
         * The uids a peer may run as.
         * @param allowedUids at least one uid; default only this process's uid
         * @return this builder
         */
        public Builder allowedUids(Set<Integer> allowedUids) {
            Objects.requireNonNull(allowedUids, "'allowedUids' must not be null");
            if (allowedUids.isEmpty()) {
                throw new IllegalArgumentException("'allowedUids' must name at least one uid");
            }
            this.allowedUids = Set.copyOf(allowedUids);
            return this;
        }

        /**
         * Whether this process reads the channel.
         * @param consume {@code false} for a process that only signals; default {@code true}
         * @return this builder
         */
        public Builder consume(boolean consume) {
            this.consume = consume;
            return this;
        }

        /**
         * How long to wait between attempts to reach a server.
         * @param reconnectInterval positive; default 100 ms
         * @return this builder
         */
        public Builder reconnectInterval(Duration reconnectInterval) {
            Objects.requireNonNull(reconnectInterval, "'reconnectInterval' must not be null");
            if (reconnectInterval.isNegative() || reconnectInterval.isZero()) {
                throw new IllegalArgumentException("'reconnectInterval' must be positive but was " + reconnectInterval);
            }
            this.reconnectInterval = reconnectInterval;
            return this;
        }

        /**
         * How long {@link SharedChannel#open} keeps trying when nobody serves and this process may not serve.
         * @param attachTimeout zero or more; default 10 s
         * @return this builder
         */
        public Builder attachTimeout(Duration attachTimeout) {
            Objects.requireNonNull(attachTimeout, "'attachTimeout' must not be null");
            if (attachTimeout.isNegative()) {
                throw new IllegalArgumentException("'attachTimeout' must be zero or positive but was " + attachTimeout);
            }
            this.attachTimeout = attachTimeout;
            return this;
        }

        /**
         * How many peers the serving process attaches at most. They are shared equally between the allowed uids
         * (at least one each), so that no uid can take every slot; a peer over the limit is refused as busy.
         * The server holds up to three descriptors per peer (its socket, its eventfd for a broadcast subscriber,
         * the descriptor that watches its process): raise the process's descriptor limit with the peer limit.
         * @param maxPeers 1 to {@link #MAX_PEERS_LIMIT}; default {@link #DEFAULT_MAX_PEERS}
         * @return this builder
         */
        public Builder maxPeers(int maxPeers) {
            if (maxPeers < 1 || maxPeers > MAX_PEERS_LIMIT) {
                throw new IllegalArgumentException("'maxPeers' must be between 1 and " + MAX_PEERS_LIMIT + " but was "
                        + maxPeers);
            }
            this.maxPeers = maxPeers;
            return this;
        }

        /**
         * The options.
         * @return the checked options
         */
        public ShareOptions build() {
            return new ShareOptions(this);
        }
    }
}
