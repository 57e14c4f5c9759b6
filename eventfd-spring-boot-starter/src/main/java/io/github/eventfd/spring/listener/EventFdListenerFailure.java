package io.github.eventfd.spring.listener;

import java.time.Duration;

import io.github.eventfd.spring.EventFdChannelEvent;

/**
 * One failure of an {@code @EventFdListener} method, as its {@link EventFdListenerErrorHandler} sees it.
 */
public interface EventFdListenerFailure {

    /**
     * The channel the listener belongs to.
     * @return the channel name
     */
    String channel();

    /**
     * The listener that threw.
     * @return its name, {@code SimpleClassName.method} or the annotation's {@code id}
     */
    String listener();

    /**
     * What the listener was called with: an {@link io.github.eventfd.spring.EventFdSignalEvent} (a delivery)
     * or an {@link io.github.eventfd.spring.EventFdResyncEvent}.
     * @return the event
     */
    EventFdChannelEvent event();

    /**
     * What the listener threw, unwrapped from reflection.
     * @return the exception or error
     */
    Throwable cause();

    /**
     * How many deliveries in a row this listener has failed, this one included: 1 for a first failure. A
     * delivery the listener returns from normally, or a {@link #giveUp()}, starts the count again.
     * @return 1 or more
     */
    int attempt();

    /**
     * Deliver the failed count again after {@code delay}: it is added back to the channel's counter in this
     * process (for a shared queue, to the queue, where any consumer may take it), coalesces with what arrives
     * meanwhile, and wakes every listener of the channel in this process again. For a resync, the channel's
     * resync is run again. A redelivery still waiting when the application stops is added back at once, so
     * the shutdown drain delivers it. Counted as {@code eventfd.listener.retries}.
     * @param delay how long to wait, zero or more
     */
    void redeliver(Duration delay);

    /**
     * Give the delivery up: nothing is delivered again for it. Counted as {@code eventfd.listener.given.up}.
     */
    void giveUp();
}
