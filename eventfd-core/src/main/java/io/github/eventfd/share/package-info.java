/**
 * Sharing a channel between processes of one host: {@link io.github.eventfd.share.SharedChannel} hands one
 * eventfd to every participant over a Unix socket ({@code SCM_RIGHTS}), configured by
 * {@link io.github.eventfd.share.ShareOptions}. Public: the channel, its options and enums, the listener,
 * {@link io.github.eventfd.share.PeerInfo} and {@link io.github.eventfd.share.ShareException}. The rest
 * (election, client, server, the queue and broadcast topologies, the wire protocol) is package-private.
 */
@NullMarked
package io.github.eventfd.share;

import org.jspecify.annotations.NullMarked;
