package io.github.eventfd.spring.channel;

import java.util.List;
import java.util.Objects;

import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;

/**
 * How a channel calls one of its listeners.
 *
 * @param interceptions what wraps its calls, the first outermost
 * @param errorHandler what decides after a failure
 * @param autoStartup whether it is called from the start; otherwise it waits for
 * {@link io.github.eventfd.spring.EventFdListenerContainer#start()}
 */
public record ListenerSettings(List<ListenerInterceptor.Interception> interceptions,
        EventFdListenerErrorHandler errorHandler, boolean autoStartup) {

    /**
     * Check the settings.
     */
    public ListenerSettings {
        interceptions = List.copyOf(interceptions);
        Objects.requireNonNull(errorHandler, "'errorHandler' must not be null");
    }
}
