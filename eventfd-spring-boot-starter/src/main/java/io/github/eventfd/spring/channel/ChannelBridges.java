package io.github.eventfd.spring.channel;

import io.github.eventfd.share.ShareState;
import io.github.eventfd.share.SharedChannel;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgeMode;
import io.github.eventfd.spring.bridge.BridgedChannel;
import io.github.eventfd.spring.bridge.OutgoingSignals;

/**
 * The one door from a bridge into a channel: attaching a channel to a {@link Bridge} makes every signal made
 * in this process add up in the channel's {@link OutgoingSignals} (for a queue across hosts, instead of the local
 * counter: its units wait in the engine until a host claims them), and gives the bridge a way to signal incoming
 * counts into the local counter that does not pass {@code signal()} (so they are never sent back out).
 *
 * <p>Who bridges what: every process sends the signals it made itself, so each signal is sent once, by the process
 * that made it; incoming counts are delivered only by the process that serves a shared channel on the host (it
 * reaches the host's other processes through the sharing), or by the only process of a channel that is not
 * shared. A process that takes over serving a shared channel starts delivering incoming counts at once.
 */
public final class ChannelBridges {

    private ChannelBridges() {
    }

    /**
     * Carry {@code channel} across hosts through {@code bridge} from now on.
     * @param channel the channel
     * @param bridge the engine's bridge
     * @param mode broadcast or queue across hosts
     * @param host the id of this host, the same for every process of the host that shares the channel
     * @return the channel as the bridge sees it
     * @throws IllegalArgumentException if the bridge cannot carry the mode, or the host id is not allowed
     */
    public static BridgedChannel attach(AbstractEventFdChannel channel, Bridge bridge, BridgeMode mode, String host) {
        OutgoingSignals outgoing = new OutgoingSignals();
        BridgedChannel bridged = new BridgedChannel(channel.channel(), mode, host, outgoing,
                () -> bridgesHere(channel), count -> channel.counter().signalUnsigned(count),
                reason -> channel.hooks().resync(reason), () -> pending(channel), () -> hasConsumers(channel));
        bridge.attach(bridged);
        channel.bridgeTo(outgoing, mode == BridgeMode.QUEUE);
        return bridged;
    }

    private static long pending(AbstractEventFdChannel channel) {
        try {
            return channel.counter().pendingCount();
        }
        catch (IllegalStateException ex) {
            return -1;
        }
    }

    /**
     * Whether anything on this host consumes the channel: this process has listeners and reads the counter (not
     * paused, a listener running), or processes are attached to the shared channel it serves (whether they listen,
     * this process cannot tell: a serving process claims for them).
     */
    static boolean hasConsumers(AbstractEventFdChannel channel) {
        if (!channel.listeners().isEmpty() && channel.isReading()) {
            return true;
        }
        SharedChannel shared = SharedChannels.shared(channel.counter());
        return shared != null && !shared.peers().isEmpty();
    }

    /** Whether this process delivers incoming counts: it serves the shared channel, or the channel is not shared. */
    static boolean bridgesHere(AbstractEventFdChannel channel) {
        if (channel.isClosed()) {
            return false;
        }
        if (!channel.isShared()) {
            return true;
        }
        SharedChannel shared = SharedChannels.shared(channel.counter());
        return shared != null && shared.state() == ShareState.SERVING;
    }
}
