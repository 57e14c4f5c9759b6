package io.github.eventfd.spring.bridge;

/**
 * How a bridged channel distributes signals across hosts.
 */
public enum BridgeMode {

    /** Every host's channel receives every signal made on any host. */
    BROADCAST,

    /** Every unit is consumed by exactly one consumer on one host. */
    QUEUE
}
