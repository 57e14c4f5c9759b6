package io.github.eventfd.share;

import java.util.Locale;

/**
 * Why a sharing peer or message was refused; a bounded set, used as the {@code reason} tag of metrics.
 */
public enum ShareErrorReason {

    /** The peer's uid is not allowed. */
    DENIED_UID,

    /** The peer speaks another protocol version. */
    BAD_VERSION,

    /** The peer asked for a channel this socket does not serve. */
    UNKNOWN_CHANNEL,

    /** The peer's channel kind or mode differs. */
    MISMATCH,

    /** The message is not a well-formed protocol message. */
    MALFORMED,

    /** A received descriptor is not a usable eventfd. */
    NOT_EVENTFD,

    /** A message carried more or fewer descriptors than the protocol allows, or they did not fit. */
    FD_COUNT,

    /** A peer did not complete its hello in time. */
    HELLO_TIMEOUT,

    /** The server has no slot left for the peer (in all, for its uid, or for connections still in hello). */
    TOO_MANY_PEERS,

    /** A broadcast subscriber's counter was full, or a write to it waited past its bound: it was dropped. */
    STALLED,

    /** The server ran out of descriptors or memory and paused accepting for a while. */
    OUT_OF_RESOURCES,

    /** Connecting, accepting or talking to a peer failed. */
    IO;

    /**
     * Whether a refusal for this reason holds as long as both sides run as they are configured (another uid,
     * protocol version, channel, kind or mode): attaching again cannot succeed, so an attach ends at once.
     * @return {@code true} for a definitive refusal
     */
    public boolean isDefinitive() {
        return this == DENIED_UID || this == BAD_VERSION || this == UNKNOWN_CHANNEL || this == MISMATCH;
    }

    /**
     * The tag value.
     * @return the name in lower case with dashes, such as {@code denied-uid}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
