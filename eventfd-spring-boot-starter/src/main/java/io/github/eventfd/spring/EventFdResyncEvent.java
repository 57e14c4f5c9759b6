package io.github.eventfd.spring;

import java.io.Serial;

/**
 * Published when a shared channel attached, re-attached or took over serving: a signal may have raced the
 * change, so listeners should look at their real data source once. {@code @EventFdListener(resync = true)}
 * methods of the channel are called for it too, never with a count.
 */
public class EventFdResyncEvent extends EventFdChannelEvent {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * Create an event.
     * @param source the channel
     * @param channel the channel name
     * @param reason what happened
     */
    public EventFdResyncEvent(Object source, String channel, String reason) {
        super(source, channel);
        this.reason = reason;
    }

    /**
     * What happened, for logs.
     * @return the reason
     */
    public String getReason() {
        return this.reason;
    }

    @Override
    public String toString() {
        return "EventFdResyncEvent(channel=" + getChannel() + ", reason=" + this.reason + ")";
    }
}
