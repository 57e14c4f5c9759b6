package io.github.eventfd.spring.bridge;

/**
 * Which engine carries a channel across hosts: the value of {@code eventfd.channels.<name>.bridge}.
 */
public enum BridgeEngine {

    /** The channel stays on this host. */
    NONE,

    /** Through Redis pub/sub and keys, with Spring Data Redis. */
    REDIS
}
