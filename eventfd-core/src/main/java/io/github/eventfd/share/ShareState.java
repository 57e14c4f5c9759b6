package io.github.eventfd.share;

/**
 * What a shared channel is doing now.
 */
public enum ShareState {

    /** Not started, or closed. */
    DETACHED,

    /** This process serves the socket and hands the eventfd to peers. */
    SERVING,

    /** This process is attached to the process that serves. */
    ATTACHED,

    /** The server went away; this process is looking for the next one (signals keep counting). */
    RECONNECTING
}
