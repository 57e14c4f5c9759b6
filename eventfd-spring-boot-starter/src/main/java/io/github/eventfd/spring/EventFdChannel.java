package io.github.eventfd.spring;

import io.github.eventfd.spring.channel.AbstractEventFdChannel;
import io.github.eventfd.spring.channel.ChannelParts;

/**
 * One named channel: its counter, its statistics and the publication of its deliveries. This is the
 * {@link EventFdNotifier} bean of the channel; look channels up in {@link EventFdChannelRegistry}.
 */
public final class EventFdChannel extends AbstractEventFdChannel implements EventFdNotifier {

    EventFdChannel(ChannelParts parts) {
        super(parts);
    }

    void addListener(String listener) {
        listenerAdded(listener);
    }

    void close() {
        closeCounter();
    }
}
