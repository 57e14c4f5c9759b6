package io.github.eventfd.spring;

import java.util.List;
import java.util.Optional;

import io.github.eventfd.spring.channel.AbstractEventFdChannel;
import io.github.eventfd.spring.channel.ChannelListener;
import io.github.eventfd.spring.channel.ChannelParts;
import io.github.eventfd.spring.channel.ListenerSettings;

/**
 * One named channel: its counter, its statistics and the publication of its deliveries. This is the
 * {@link EventFdNotifier} bean of the channel; look channels up in {@link EventFdChannelRegistry}.
 */
public final class EventFdChannel extends AbstractEventFdChannel implements EventFdNotifier {

    EventFdChannel(ChannelParts parts) {
        super(parts);
    }

    /**
     * One {@code @EventFdListener} method of this channel, to stop and start.
     * @param id the listener's id: {@code @EventFdListener(id)}, else {@code SimpleClassName.method}
     * @return its container, or empty if the channel has no listener of that id
     */
    public Optional<EventFdListenerContainer> listener(String id) {
        return (isListenerRunning(id) != null) ? Optional.of(new EventFdListenerContainer(this, id))
                : Optional.empty();
    }

    /**
     * The containers of this channel's {@code @EventFdListener} methods.
     * @return them, in the order the channel calls them
     */
    public List<EventFdListenerContainer> listenerContainers() {
        return listeners().stream().map(id -> new EventFdListenerContainer(this, id)).toList();
    }

    boolean running(String id, boolean running) {
        return listenerRunning(id, running);
    }

    boolean isRunning(String id) {
        return Boolean.TRUE.equals(isListenerRunning(id));
    }

    void addListener(ChannelListener listener, ListenerSettings settings) {
        listenerAdded(listener, settings);
    }

    void removeListener(ChannelListener listener) {
        listenerRemoved(listener);
    }

    void close() {
        closeCounter();
    }
}
