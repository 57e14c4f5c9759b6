package io.github.eventfd.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.ChannelListener;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.ListenerSettings;

import org.springframework.beans.factory.DisposableBean;

/**
 * All channels of an application by name. The {@link EventFdChannelFactory} creates their counters, the
 * {@link EventFdChannelLifecycle} delivers them; the registry closes them when it is destroyed.
 */
public class EventFdChannelRegistry implements DisposableBean {

    /**
     * The lifecycle phase of the channels' delivery, {@link EventFdChannelLifecycle#PHASE}.
     */
    public static final int PHASE = EventFdChannelLifecycle.PHASE;

    private final Map<String, EventFdChannel> channels = new ConcurrentSkipListMap<>();

    private final List<Consumer<? super EventFdChannel>> channelAddedCallbacks = new ArrayList<>();

    private final EventFdChannelFactory factory;

    /** Held while a listener is added, so that two of one id cannot pass the check at once. */
    private final Object listenerIds = new Object();

    /**
     * Create the channels. Shared channels serve or attach only when their delivery starts
     * ({@link EventFdChannelLifecycle#start()}), so this never waits for another process.
     * @param definitions the channels
     * @param factory what creates their counters
     */
    public EventFdChannelRegistry(Collection<ChannelDefinition> definitions, EventFdChannelFactory factory) {
        this.factory = Objects.requireNonNull(factory, "'factory' must not be null");
        try {
            for (ChannelDefinition definition : definitions) {
                add(definition);
            }
        }
        catch (RuntimeException ex) {
            closeChannels();
            throw ex;
        }
    }

    private EventFdChannel add(ChannelDefinition definition) {
        EventFdChannel channel;
        List<Consumer<? super EventFdChannel>> callbacks;
        synchronized (this) {
            EventFdChannel existing = this.channels.get(definition.name());
            if (existing != null) {
                return existing;
            }
            channel = new EventFdChannel(this.factory.create(definition));
            this.channels.put(definition.name(), channel);
            callbacks = List.copyOf(this.channelAddedCallbacks);
        }
        // outside the lock: a callback (the lifecycle) may take locks of its own
        for (Consumer<? super EventFdChannel> callback : callbacks) {
            callback.accept(channel);
        }
        return channel;
    }

    /**
     * Add a listener to a channel, which calls it for each delivery; the channel is created with default
     * settings if no configuration declared it.
     * @param name the channel name
     * @param listener the listener
     * @param settings its interceptors, error handler and auto-startup
     * @return the channel
     * @throws IllegalStateException if a channel of this registry already has a listener of that name: a
     * listener's id is unique in the application
     */
    public EventFdChannel registerListener(String name, ChannelListener listener, ListenerSettings settings) {
        synchronized (this.listenerIds) {
            Optional<EventFdListenerContainer> existing = listener(listener.name());
            if (existing.isPresent()) {
                throw new IllegalStateException("eventfd channel '" + existing.get().channel().channel()
                        + "' already has a listener named '" + listener.name() + "'; give one an id: "
                        + "@EventFdListener(id = \"...\")");
            }
            EventFdChannel channel = declare(name);
            channel.addListener(listener, settings);
            return channel;
        }
    }

    /**
     * The {@code @EventFdListener} method of that id, on whichever channel, to stop and start.
     * @param id the listener's id: {@code @EventFdListener(id)}, else {@code SimpleClassName.method}
     * @return its container, or empty if no channel has a listener of that id
     */
    public Optional<EventFdListenerContainer> listener(String id) {
        for (EventFdChannel channel : this.channels.values()) {
            Optional<EventFdListenerContainer> found = channel.listener(id);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Remove a listener added by {@link #registerListener}, when the context that declared it closes.
     * @param name the channel name
     * @param listener the listener, as registered
     */
    public void unregisterListener(String name, ChannelListener listener) {
        EventFdChannel channel = this.channels.get(name);
        if (channel != null) {
            channel.removeListener(listener);
        }
    }

    /**
     * The channel of that name, created with default settings if no configuration declared it: for a
     * channel known only from a listener, whose notifier may be injected before the listener is registered.
     * @param name the channel name
     * @return the channel
     */
    public EventFdChannel declare(String name) {
        EventFdChannel channel = this.channels.get(name);
        return (channel != null) ? channel : add(ChannelDefinition.withDefaults(name));
    }

    /**
     * Run {@code callback} for every channel there is and for every channel added later. A channel added
     * while this method runs may be passed twice.
     * @param callback what to run, for example binding meters
     */
    public void forEachChannel(Consumer<? super EventFdChannel> callback) {
        List<EventFdChannel> existing;
        synchronized (this) {
            existing = List.copyOf(this.channels.values());
            this.channelAddedCallbacks.add(callback);
        }
        existing.forEach(callback);
    }

    /**
     * The channel of that name.
     * @param name the channel name
     * @return the channel
     * @throws IllegalArgumentException if there is no such channel, listing those there are
     */
    public EventFdChannel channel(String name) {
        EventFdChannel channel = this.channels.get(name);
        if (channel == null) {
            throw new IllegalArgumentException("no eventfd channel '" + name + "'; the channels are "
                    + this.channels.keySet());
        }
        return channel;
    }

    /**
     * The channel of that name, if there is one.
     * @param name the channel name
     * @return the channel or empty
     */
    public Optional<EventFdChannel> find(String name) {
        return Optional.ofNullable(this.channels.get(name));
    }

    /**
     * Every channel, sorted by name.
     * @return the channels
     */
    public List<EventFdChannel> channels() {
        return List.copyOf(this.channels.values());
    }

    /**
     * What backs the channels.
     * @return eventfd, or in-memory where the fallback applies
     */
    public CounterImplementation implementation() {
        return this.factory.implementation();
    }

    /**
     * Close every channel and its descriptor; the lifecycle has stopped delivering before.
     */
    @Override
    public void destroy() {
        closeChannels();
    }

    private void closeChannels() {
        this.channels.values().forEach(EventFdChannel::close);
    }
}
