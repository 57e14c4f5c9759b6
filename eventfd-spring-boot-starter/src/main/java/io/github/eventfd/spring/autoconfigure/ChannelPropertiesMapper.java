package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.eventfd.share.SharedChannel;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.ChannelSharing;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.InvalidSettingException;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;
import io.github.eventfd.spring.listener.LoggingListenerErrorHandler;
import io.github.eventfd.spring.listener.RetryingListenerErrorHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Maps {@link EventFdProperties} to channel definitions and delivery settings, and the settings those
 * reject to the property that holds them: the one place that knows which setting is which property.
 */
final class ChannelPropertiesMapper {

    private static final Map<String, String> LIFECYCLE_PROPERTIES = Map.of(
            "pollerThreadName", "eventfd.poller.thread-name",
            "maxEventsPerWait", "eventfd.poller.max-events-per-wait",
            "drainTimeout", "eventfd.shutdown.drain-timeout");

    private static final Map<String, String> CHANNEL_PROPERTIES = Map.of(
            "initialValue", "initial-value",
            "mode", "mode",
            "dispatch", "dispatch",
            "signalTiming", "signal-timing");

    private final EventFdProperties properties;

    ChannelPropertiesMapper(EventFdProperties properties) {
        this.properties = properties;
    }

    /**
     * The definition of each channel, configured or with defaults.
     * @throws IllegalArgumentException naming the property whose value is not allowed
     */
    List<ChannelDefinition> definitions(Set<String> names) {
        return names.stream().map(this::definition).toList();
    }

    private ChannelDefinition definition(String name) {
        EventFdProperties.Channel channel = channel(name);
        return mapped(setting -> "eventfd.channels." + name + "." + CHANNEL_PROPERTIES.getOrDefault(setting, setting),
                () -> new ChannelDefinition(name, channel.getMode(), channel.getInitialValue(), channel.getDispatch(),
                        channel.getSignalTiming(), sharing(channel.getShare())));
    }

    /**
     * The poller and shutdown settings.
     * @throws IllegalArgumentException naming the property whose value is not allowed
     */
    EventFdChannelLifecycle.Settings lifecycleSettings() {
        return mapped(setting -> LIFECYCLE_PROPERTIES.getOrDefault(setting, setting),
                () -> new EventFdChannelLifecycle.Settings(this.properties.getPoller().getThreadName(),
                        this.properties.getPoller().getMaxEventsPerWait(),
                        this.properties.getShutdown().getDrainTimeout()));
    }

    /**
     * The error handler of listeners that name none: log and count, or retry as configured.
     */
    EventFdListenerErrorHandler defaultErrorHandler() {
        EventFdProperties.Retry retry = this.properties.getListener().getRetry();
        if (!retry.isEnabled()) {
            return new LoggingListenerErrorHandler();
        }
        ExponentialBackOff backOff = new ExponentialBackOff(retry.getInitialInterval().toMillis(), retry.getMultiplier());
        backOff.setMaxInterval(retry.getMaxInterval().toMillis());
        backOff.setMaxAttempts(retry.getMaxAttempts() - 1L);
        return new RetryingListenerErrorHandler(backOff);
    }

    /**
     * Threads of the listener executor: as configured, or one per channel with executor dispatch.
     */
    int listenerThreads(Set<String> names) {
        Integer configured = this.properties.getListener().getExecutorThreads();
        return (configured != null) ? configured
                : Math.max(1, (int) names.stream().filter(name -> channel(name).getDispatch() == Dispatch.EXECUTOR)
                        .count());
    }

    private EventFdProperties.Channel channel(String name) {
        EventFdProperties.Channel channel = this.properties.getChannels().get(name);
        return (channel != null) ? channel : new EventFdProperties.Channel();
    }

    private static @Nullable ChannelSharing sharing(EventFdProperties.Share share) {
        if (share.getSocket() == null) {
            return null;
        }
        Set<Integer> uids = share.getAllowedUids().isEmpty() ? Set.of(SharedChannel.currentUid())
                : Set.copyOf(share.getAllowedUids());
        return new ChannelSharing(share.getSocket(), share.getKind(), share.getRole(),
                EventFdProperties.Share.socketPermissions(share.getSocketMode()), uids, share.getReconnectInterval(),
                share.getAttachTimeout());
    }

    /** Build a value, naming the property instead of the setting it rejects. */
    private static <T> T mapped(Function<String, String> propertyOf, Supplier<T> build) {
        try {
            return build.get();
        }
        catch (InvalidSettingException ex) {
            // not chained: the message names the property, which is all the setting's own exception said
            throw new IllegalArgumentException("'" + propertyOf.apply(ex.getSetting()) + "' " + ex.getProblem());
        }
    }
}
