package io.github.eventfd.spring.bridge;

/**
 * Why a bridge refused an incoming message or could not take an outgoing count: the bounded values of the
 * {@code reason} tag of {@code eventfd.bridge.errors}.
 */
public enum BridgeErrorReason {

    /** Not a bridge message: wrong field count, a field that is not a number or an origin with characters not allowed. */
    MALFORMED,

    /** Longer than any message a bridge sends. */
    TOO_LARGE,

    /** A message of a version this bridge does not know. */
    UNKNOWN_VERSION,

    /** A count that is 0, negative or above 0xfffffffffffffffe, the largest an eventfd holds. */
    INVALID_COUNT,

    /** A valid count that the local counter could not take without passing its maximum; nothing was added. */
    OVERFLOW,

    /** The engine refused or did not answer a command; the count is kept and sent again. */
    ENGINE;

    /**
     * The tag value.
     * @return the name in lower case
     */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
