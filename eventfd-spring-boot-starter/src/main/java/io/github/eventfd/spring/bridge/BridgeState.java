package io.github.eventfd.spring.bridge;

/**
 * What a bridge is doing now.
 */
public enum BridgeState {

    /** Not started yet. */
    STARTING,

    /** The engine is reachable: outgoing counts are sent and incoming ones delivered. */
    CONNECTED,

    /** The engine is unreachable: local delivery goes on, outgoing counts add up and are sent on reconnect. */
    RECONNECTING,

    /** Stopped with its application context. */
    STOPPED
}
