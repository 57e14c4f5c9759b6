package io.github.eventfd.spring.channel;

import io.github.eventfd.spring.EventFdChannelEvent;

/**
 * A listener that its channel calls itself, one delivery at a time and in order, whatever the application's
 * event multicaster does: what an {@code @EventFdListener} method becomes.
 */
public interface ChannelListener {

    /**
     * The listener's name, for logs, meters and the endpoint.
     * @return the name, unique within its channel
     */
    String name();

    /**
     * Where the listener runs among the listeners of its channel: lower first, as {@code @Order}.
     * @return the order
     */
    int order();

    /**
     * Whether the listener is also called with the channel's {@link io.github.eventfd.spring.EventFdResyncEvent}s.
     * @return {@code true} to be called on resyncs
     */
    boolean receivesResyncs();

    /**
     * Call the listener.
     * @param event a delivery, or a resync when {@link #receivesResyncs()}
     * @return {@code false} if the listener's condition excluded the event, so it was not called
     * @throws Exception what the listener threw
     */
    boolean onEvent(EventFdChannelEvent event) throws Exception;
}
