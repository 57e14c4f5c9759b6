package io.github.eventfd.spring.bridge;

import java.time.Duration;
import java.util.List;

/**
 * An engine that carries channels across hosts. The starter attaches each channel configured with
 * {@code eventfd.channels.<name>.bridge} to the bridge of that engine; the engine sends what adds up in the
 * channel's {@link OutgoingSignals} and hands what arrives to {@link BridgedChannel#receive}. An engine never
 * makes a channel's {@code signal()} wait or fail: it only reads the counter signals add up in.
 */
public interface Bridge {

    /**
     * The engine's name, as in {@code eventfd.channels.<name>.bridge}.
     * @return for example {@code redis}
     */
    String engine();

    /**
     * Carry a channel from now on.
     * @param channel the channel
     * @throws IllegalArgumentException if the engine cannot carry the channel's mode
     */
    void attach(BridgedChannel channel);

    /**
     * What the bridge is doing now.
     * @return the state
     */
    BridgeState state();

    /**
     * How long the engine has been unreachable.
     * @return the time since the first failure of the outage going on, zero when connected
     */
    Duration disconnectedFor();

    /**
     * Errors by reason.
     * @return the counts
     */
    BridgeErrors errors();

    /**
     * Units of bridged queues waiting in the engine for a host to claim them, as last seen.
     * @return the sum over the bridged queues, 0 without any
     */
    long claimBacklog();

    /**
     * Times the bridge told its channels to resync, after an outage or a subscription made again.
     * @return how many
     */
    long resyncCount();

    /**
     * The channels the bridge carries.
     * @return them, in the order attached
     */
    List<BridgedChannel> channels();
}
