package io.github.eventfd.spring;

import java.io.Serial;

import org.springframework.context.ApplicationEvent;

/**
 * Something that happened on one channel: a delivery of signals ({@link EventFdSignalEvent}) or a resync of a
 * shared channel ({@link EventFdResyncEvent}). {@link #getTimestamp()} tells when it was published.
 */
public abstract class EventFdChannelEvent extends ApplicationEvent {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String channel;

    /**
     * Create an event.
     * @param source the channel
     * @param channel the channel name
     */
    protected EventFdChannelEvent(Object source, String channel) {
        super(source);
        this.channel = channel;
    }

    /**
     * The channel.
     * @return its name
     */
    public String getChannel() {
        return this.channel;
    }
}
