package io.github.eventfd.spring.channel;

import java.util.List;

import io.github.eventfd.share.PeerInfo;
import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareRole;
import io.github.eventfd.share.ShareState;
import io.github.eventfd.share.SharedChannel;

/**
 * What the health indicator and the endpoint show of a shared channel.
 *
 * @param kind queue or broadcast
 * @param role the configured role
 * @param state serving, attached, reconnecting or detached
 * @param attached whether this process is connected to the channel's other processes (serving or attached)
 * @param socket the socket path
 * @param peers the processes at the other end
 */
public record ShareDescription(ShareKind kind, ShareRole role, ShareState state, boolean attached, String socket,
        List<PeerInfo> peers) {

    /**
     * Describe a shared channel now.
     * @param shared the channel
     * @return its description
     */
    public static ShareDescription of(SharedChannel shared) {
        ShareState state = shared.state();
        return new ShareDescription(shared.shareOptions().kind(), shared.shareOptions().role(), state,
                state == ShareState.SERVING || state == ShareState.ATTACHED, shared.shareOptions().socket().toString(),
                shared.peers());
    }
}
