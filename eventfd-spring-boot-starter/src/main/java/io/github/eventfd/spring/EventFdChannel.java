package io.github.eventfd.spring;

import io.github.eventfd.spring.channel.AbstractEventFdChannel;
import io.github.eventfd.spring.channel.ChannelListener;
import io.github.eventfd.spring.channel.ChannelParts;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;

/**
 * One named channel: its counter, its statistics and the publication of its deliveries. This is the
 * {@link EventFdNotifier} bean of the channel; look channels up in {@link EventFdChannelRegistry}.
 */
public final class EventFdChannel extends AbstractEventFdChannel implements EventFdNotifier {

    EventFdChannel(ChannelParts parts) {
        super(parts);
    }

    void addListener(ChannelListener listener, EventFdListenerObserver.Observation observation,
            EventFdListenerErrorHandler errorHandler) {
        listenerAdded(listener, observation, errorHandler);
    }

    void removeListener(ChannelListener listener) {
        listenerRemoved(listener);
    }

    void close() {
        closeCounter();
    }
}
