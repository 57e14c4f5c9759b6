/**
 * Bridging a channel across hosts through a distributed engine: the engine-neutral SPI ({@link
 * io.github.eventfd.spring.bridge.Bridge}, {@link io.github.eventfd.spring.bridge.BridgedChannel}), the one counter
 * a channel's outgoing signals add up in ({@link io.github.eventfd.spring.bridge.OutgoingSignals}), the message
 * every engine carries ({@link io.github.eventfd.spring.bridge.BridgeMessage}) and the Redis engine.
 */
@NullMarked
package io.github.eventfd.spring.bridge;

import org.jspecify.annotations.NullMarked;
