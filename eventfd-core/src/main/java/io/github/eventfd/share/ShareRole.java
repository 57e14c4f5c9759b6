package io.github.eventfd.share;

/**
 * Which part a process plays for a shared channel.
 */
public enum ShareRole {

    /** Serve when nobody does, attach otherwise, and take over when the server goes away. */
    AUTO,

    /** Always serve; fail if another process serves the socket already. */
    OWNER,

    /** Never serve; attach, and re-attach to whoever serves after a restart. */
    ATTACH
}
