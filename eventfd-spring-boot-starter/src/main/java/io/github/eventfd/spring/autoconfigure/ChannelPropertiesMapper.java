package io.github.eventfd.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.eventfd.EventFdRules;
import io.github.eventfd.share.ShareOptions;
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
            "signalTiming", "signal-timing",
            "socket", "share.socket",
            "max-peers", "share.max-peers");

    /** A map key that needs no brackets: what Boot's canonical property names are made of. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[a-z0-9-]+");

    private final EventFdProperties properties;

    ChannelPropertiesMapper(EventFdProperties properties) {
        this.properties = properties;
    }

    /**
     * The definition of each channel, configured or with defaults.
     * @throws InvalidEventFdPropertyException naming the property whose value or channel name is not allowed
     */
    List<ChannelDefinition> definitions(Set<String> names) {
        List<ChannelDefinition> definitions = new ArrayList<>(names.size());
        for (String name : names) {
            definitions.add(definition(name));
        }
        return List.copyOf(definitions);
    }

    private ChannelDefinition definition(String name) {
        if (this.properties.getChannels().containsKey(name)) {
            checkConfiguredName(name);
        }
        EventFdProperties.Channel channel = channel(name);
        try {
            return new ChannelDefinition(name, channel.getMode(), channel.getInitialValue(), channel.getDispatch(),
                    channel.getSignalTiming(), sharing(channel.getShare()));
        }
        catch (InvalidSettingException ex) {
            throw invalidProperty(ex,
                    channelProperty(name, CHANNEL_PROPERTIES.getOrDefault(ex.getSetting(), ex.getSetting())));
        }
    }

    private static void checkConfiguredName(String name) {
        try {
            EventFdRules.checkChannelName(name);
        }
        catch (IllegalArgumentException ex) {
            String renamed = ChannelDefinition.allowedNameLike(name);
            throw new InvalidEventFdPropertyException(channelKey(name), name, "names the channel '" + name
                    + "', which is not allowed: a channel name is " + EventFdRules.CHANNEL_NAME_RULE,
                    "Rename the channel under eventfd.channels to a name that follows the rule, for example "
                            + channelKey(renamed) + ", and use the same name in @EventFdListener and @Qualifier. A "
                            + "name with a dot needs brackets: eventfd.channels[orders.created].mode (in YAML "
                            + "\"[orders.created]\":).", ex);
        }
    }

    /**
     * The property of a channel's setting, with the channel name in brackets where it needs them.
     * @param name the channel name
     * @param setting the setting's property under the channel, for example {@code share.socket}
     * @return the property, for example {@code eventfd.channels[orders.created].share.socket}
     */
    static String channelProperty(String name, String setting) {
        return channelKey(name) + "." + setting;
    }

    private static String channelKey(String name) {
        return PLAIN_KEY.matcher(name).matches() ? "eventfd.channels." + name : "eventfd.channels[" + name + "]";
    }

    /**
     * The poller and shutdown settings.
     * @throws InvalidEventFdPropertyException naming the property whose value is not allowed
     */
    EventFdChannelLifecycle.Settings lifecycleSettings() {
        try {
            return new EventFdChannelLifecycle.Settings(this.properties.getPoller().getThreadName(),
                    this.properties.getPoller().getMaxEventsPerWait(), this.properties.getShutdown().getDrainTimeout());
        }
        catch (InvalidSettingException ex) {
            throw invalidProperty(ex, LIFECYCLE_PROPERTIES.getOrDefault(ex.getSetting(), ex.getSetting()));
        }
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
        if (configured != null) {
            return configured;
        }
        int executorChannels = 0;
        for (String name : names) {
            if (channel(name).getDispatch() == Dispatch.EXECUTOR) {
                executorChannels++;
            }
        }
        return Math.max(1, executorChannels);
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
                share.getAttachTimeout(), share.getMaxPeers());
    }

    /** Build a value, naming the property instead of the setting it rejects. */
    /**
     * The setting's own exception said again with the property that holds the value. A plain try and catch at each
     * call, not a lambda: each lambda is a class spun at startup.
     */
    private static InvalidEventFdPropertyException invalidProperty(InvalidSettingException ex, String property) {
        // not chained: the message names the property, which is all the setting's own exception said
        return new InvalidEventFdPropertyException(property, ex.getValue(), ex.getProblem(),
                action(ex.getSetting(), property), null);
    }

    private static String action(String setting, String property) {
        if (setting.equals("socket")) {
            return "Set '" + property + "' to a shorter path: the kernel's Unix socket address holds at most "
                    + ShareOptions.MAX_SOCKET_PATH_BYTES + " bytes, so keep the socket in a short directory of "
                    + "this service, for example /run/<service>/<channel>.sock.";
        }
        return "Set '" + property + "' to a value that follows the rule above, or remove it to use the default.";
    }
}
