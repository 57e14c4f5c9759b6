package io.github.eventfd.spring.bridge.redis;

import io.github.eventfd.spring.bridge.BridgeMessage;
import io.github.eventfd.spring.bridge.BridgedChannel;

/**
 * How one bridged channel travels through Redis: chosen once, by the channel's mode. {@link #flush} and
 * {@link #claim} run on the bridge's thread, {@link #received} on the subscription's.
 */
sealed interface Carrier permits BroadcastCarrier, QueueCarrier {

    /** The channel. */
    BridgedChannel channel();

    /** Its pub/sub channel. */
    String topic();

    /**
     * Send what added up, or the message whose command failed before.
     * @return whether a command succeeded
     */
    boolean flush(RedisBridge bridge);

    /**
     * The bridge stops while Redis does not answer, so it sends nothing more: hand what added up to whoever takes it
     * without Redis, as a round of the outage would (a queue's local consumers); nothing for a broadcast, whose
     * local delivery never waits for the bridge.
     */
    void flushLocally();

    /** Take units from Redis if the channel can use them now; nothing for a broadcast. */
    void claim(RedisBridge bridge);

    /**
     * Whether the bridge must run rounds every flush interval for this channel although nothing wakes it: a
     * queue with units to claim that its local consumers cannot take yet.
     */
    boolean polls();

    /** A valid message arrived on the channel's topic. */
    void received(BridgeMessage message, RedisBridge bridge);

    /**
     * The unsigned count not confirmed by Redis: the message whose command failed, or whose command is still in flight,
     * and what added up since. Read on the bridge's thread, or by {@link RedisBridge#stop} when that thread is stuck
     * in a command.
     */
    long unsent();

    /** Units waiting in Redis, as last seen; 0 for a broadcast. */
    long backlog();
}
