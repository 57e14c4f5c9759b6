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
     * Whether the listener takes an event: its condition, if it has one, holds. The channel asks before anything
     * wraps the call, so a delivery the listener does not take is neither called, observed nor timed.
     * @param event a delivery, or a resync when {@link #receivesResyncs()}
     * @return {@code true} to call {@link #onEvent} with it
     * @throws Exception what testing the condition threw, a failure of the listener
     */
    default boolean accepts(EventFdChannelEvent event) throws Exception {
        return true;
    }

    /**
     * Call the listener, with an event {@link #accepts} took.
     * @param event a delivery, or a resync when {@link #receivesResyncs()}
     * @return {@code false} if the listener cannot take the event, so it was not called
     * @throws Exception what the listener threw
     */
    boolean onEvent(EventFdChannelEvent event) throws Exception;
}
