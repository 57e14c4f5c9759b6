package io.github.eventfd.spring.observation;

import java.util.Objects;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.micrometer.observation.Observation;

/**
 * What one observed call of an {@code @EventFdListener} method knows: its channel, the listener's id and the
 * event, a delivery with its count or a resync.
 */
public final class EventFdListenerContext extends Observation.Context {

    private final String channel;

    private final String listener;

    private final EventFdChannelEvent event;

    /**
     * Create the context of one call.
     * @param channel the channel name
     * @param listener the listener's id
     * @param event the delivery or resync it is called with
     */
    public EventFdListenerContext(String channel, String listener, EventFdChannelEvent event) {
        this.channel = Objects.requireNonNull(channel, "'channel' must not be null");
        this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
        this.event = Objects.requireNonNull(event, "'event' must not be null");
    }

    /**
     * The channel name.
     * @return the name
     */
    public String getChannel() {
        return this.channel;
    }

    /**
     * The listener's id: {@code @EventFdListener(id)}, else {@code SimpleClassName.method}.
     * @return the id
     */
    public String getListener() {
        return this.listener;
    }

    /**
     * The delivery or resync.
     * @return the event
     */
    public EventFdChannelEvent getEvent() {
        return this.event;
    }

    /**
     * The count delivered.
     * @return the unsigned count, or 0 for a resync
     */
    public long getCount() {
        return (this.event instanceof EventFdSignalEvent signal) ? signal.getCount() : 0;
    }
}
