package io.github.eventfd.spring.listener;

/**
 * Decides what happens after an {@code @EventFdListener} method threw. The failure is already logged at
 * debug level and counted ({@code eventfd.listener.errors}) when the handler is called; the handler may ask
 * for the delivery again ({@link EventFdListenerFailure#redeliver}) or give it up
 * ({@link EventFdListenerFailure#giveUp}).
 *
 * <p>A listener uses the handler bean its annotation names ({@code @EventFdListener(errorHandler = "...")}),
 * or else the bean named {@value #DEFAULT_BEAN_NAME}, which the auto-configuration defines from the
 * {@code eventfd.listener.retry.*} properties unless the application defines its own. The handler runs on the
 * listener's thread, inside the channel's one-delivery-at-a-time gate: it must return quickly (a redelivery
 * waits on a scheduler thread, not in the handler).
 */
@FunctionalInterface
public interface EventFdListenerErrorHandler {

    /** The name of the bean that handles the failures of listeners that name no handler. */
    String DEFAULT_BEAN_NAME = "eventFdListenerErrorHandler";

    /**
     * Handle one failure.
     * @param failure the listener, what it was called with, what it threw and how often in a row
     */
    void handleError(EventFdListenerFailure failure);
}
