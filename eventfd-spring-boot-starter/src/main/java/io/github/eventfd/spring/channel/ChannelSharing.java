package io.github.eventfd.spring.channel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.ShareRole;

/**
 * How a channel is shared with other processes on the host.
 *
 * @param socket the Unix socket path both sides configure
 * @param kind queue (competing consumers) or broadcast (every subscriber sees every signal)
 * @param role auto, owner or attach
 * @param socketPermissions permissions of the socket file
 * @param allowedUids the uids a peer may run as
 * @param reconnectInterval the pause between attempts to reach a server
 * @param attachTimeout how long startup waits for a server when this process may not serve
 * @param maxPeers how many peers the serving process attaches at most
 */
public record ChannelSharing(Path socket, ShareKind kind, ShareRole role, Set<PosixFilePermission> socketPermissions,
        Set<Integer> allowedUids, Duration reconnectInterval, Duration attachTimeout, int maxPeers) {

    /**
     * Check the settings.
     * @throws InvalidSettingException if the socket path does not fit in a Unix socket address, or the peer limit
     * is out of range
     */
    public ChannelSharing {
        Objects.requireNonNull(socket, "'socket' must not be null");
        int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ShareOptions.MAX_SOCKET_PATH_BYTES) {
            throw new InvalidSettingException("socket", socket, "must be at most " + ShareOptions.MAX_SOCKET_PATH_BYTES
                    + " bytes, what a Unix socket address holds, but '" + socket + "' has " + bytes);
        }
        Objects.requireNonNull(kind, "'kind' must not be null");
        Objects.requireNonNull(role, "'role' must not be null");
        socketPermissions = Set.copyOf(socketPermissions);
        allowedUids = Set.copyOf(allowedUids);
        Objects.requireNonNull(reconnectInterval, "'reconnectInterval' must not be null");
        Objects.requireNonNull(attachTimeout, "'attachTimeout' must not be null");
        if (maxPeers < 1 || maxPeers > ShareOptions.MAX_PEERS_LIMIT) {
            throw new InvalidSettingException("max-peers", maxPeers, "must be between 1 and "
                    + ShareOptions.MAX_PEERS_LIMIT + " but was " + maxPeers);
        }
    }
}
