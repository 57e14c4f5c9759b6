package io.github.eventfd.spring;

import java.io.Serial;

/**
 * Published once per wake-up of a channel: which channel, and the count read from its counter.
 *
 * <p>{@code @EventFdListener("orders")} methods receive the events of their channel; a plain
 * {@code @EventListener} for this type receives those of every channel. A count above 1 in counter mode
 * means several signals coalesced into this one delivery.
 */
public class EventFdSignalEvent extends EventFdChannelEvent {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long count;

    /**
     * Create an event.
     * @param source the channel's notifier
     * @param channel the channel name
     * @param count the unsigned count read, never 0
     */
    public EventFdSignalEvent(Object source, String channel, long count) {
        super(source, channel);
        this.count = count;
    }

    /**
     * The count read: the sum of the signals since the previous delivery in counter mode, 1 in semaphore mode.
     * @return the unsigned count, never 0
     */
    public long getCount() {
        return this.count;
    }

    /**
     * Whether more than one signal was delivered at once.
     * @return {@code true} if the count is above 1
     */
    public boolean isCoalesced() {
        return this.count != 1;
    }

    @Override
    public String toString() {
        return "EventFdSignalEvent(channel=" + getChannel() + ", count=" + Long.toUnsignedString(this.count) + ")";
    }
}
