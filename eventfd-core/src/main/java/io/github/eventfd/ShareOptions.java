package io.github.eventfd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a channel is shared between processes.
 *
 * @param channel the channel name both sides use, 1 to 128 letters, digits, '.', '-' or '_'
 * @param socket the Unix socket path, at most 107 bytes; its parent directory is created if missing
 * @param kind queue or broadcast
 * @param mode counter or semaphore; every participant must use the same
 * @param initialValue the count of an eventfd this process creates, 0 to 4294967295
 * @param role auto, owner or attach
 * @param socketPermissions permissions of the socket file, for example {@code rw-------}
 * @param allowedUids the uids a peer may run as
 * @param consume whether this process reads the channel (has listeners); a broadcast participant that does
 * not consume subscribes no eventfd
 * @param reconnectInterval how long to wait between attempts to reach a server
 */
public record ShareOptions(String channel, Path socket, ShareKind kind, EventFdMode mode, long initialValue,
        ShareRole role, Set<PosixFilePermission> socketPermissions, Set<Integer> allowedUids, boolean consume,
        Duration reconnectInterval) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /**
     * Check the options.
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    public ShareOptions {
        Objects.requireNonNull(channel, "'channel' must not be null");
        if (!NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel name '" + channel + "' is not allowed: use 1 to 128 letters, "
                    + "digits, '.', '-' or '_'");
        }
        Objects.requireNonNull(socket, "'socket' must not be null");
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 107) {
            throw new IllegalArgumentException("socket path '" + socket + "' is longer than 107 bytes");
        }
        Objects.requireNonNull(kind, "'kind' must not be null");
        Objects.requireNonNull(mode, "'mode' must not be null");
        Arguments.checkInitialValue(initialValue);
        Objects.requireNonNull(role, "'role' must not be null");
        socketPermissions = Set.copyOf(socketPermissions);
        allowedUids = Set.copyOf(allowedUids);
        if (allowedUids.isEmpty()) {
            throw new IllegalArgumentException("'allowedUids' must name at least one uid");
        }
        Objects.requireNonNull(reconnectInterval, "'reconnectInterval' must not be null");
        if (reconnectInterval.isNegative() || reconnectInterval.isZero()) {
            throw new IllegalArgumentException("'reconnectInterval' must be positive but was " + reconnectInterval);
        }
    }
}
