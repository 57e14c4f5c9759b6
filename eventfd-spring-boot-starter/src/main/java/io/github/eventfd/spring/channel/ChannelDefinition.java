package io.github.eventfd.spring.channel;

import java.util.Objects;
import java.util.regex.Pattern;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdRules;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one channel: name, read mode, initial value, where its listeners run and when a signal
 * made inside a transaction rings.
 *
 * @param name the channel name: letters, digits, {@code .}, {@code -} and {@code _}
 * @param mode how a delivery consumes the counter
 * @param initialValue the starting count, 0 to 4294967295
 * @param dispatch where its listeners run
 * @param signalTiming when a signal made inside a Spring-managed transaction rings
 * @param sharing how the channel is shared with other processes, or {@code null} for this process only
 */
public record ChannelDefinition(String name, EventFdMode mode, long initialValue, Dispatch dispatch,
        SignalTiming signalTiming, @Nullable ChannelSharing sharing) {

    /** The channel that exists when no channel is configured or named by a listener. */
    public static final String DEFAULT_CHANNEL = "default";

    private static final Pattern NOT_IN_A_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    /**
     * Check the settings.
     * @throws IllegalArgumentException if the name is not allowed
     * @throws InvalidSettingException naming the bad setting and what is allowed
     */
    public ChannelDefinition {
        EventFdRules.checkChannelName(name);
        Objects.requireNonNull(mode, "'mode' must not be null");
        Objects.requireNonNull(dispatch, "'dispatch' must not be null");
        Objects.requireNonNull(signalTiming, "'signalTiming' must not be null");
        try {
            EventFdRules.checkInitialValue(initialValue);
        }
        catch (IllegalArgumentException ex) {
            throw InvalidSettingException.of("initialValue", ex);
        }
    }

    /**
     * A channel whose signals made inside a transaction ring after its commit.
     * @param name the channel name
     * @param mode how a delivery consumes the counter
     * @param initialValue the starting count, 0 to 4294967295
     * @param dispatch where its listeners run
     * @param sharing how the channel is shared with other processes, or {@code null} for this process only
     * @throws IllegalArgumentException if the name is not allowed
     * @throws InvalidSettingException naming the bad setting and what is allowed
     */
    public ChannelDefinition(String name, EventFdMode mode, long initialValue, Dispatch dispatch,
            @Nullable ChannelSharing sharing) {
        this(name, mode, initialValue, dispatch, SignalTiming.AFTER_COMMIT, sharing);
    }

    /**
     * Whether the channel is shared with other processes.
     * @return {@code true} if {@link #sharing()} is set
     */
    public boolean isShared() {
        return this.sharing != null;
    }

    /**
     * A name that follows the rule, made from one that does not, for messages that suggest a fix: every
     * character that is not allowed becomes {@code -}, and the name is cut to its longest.
     * @param name a channel name
     * @return an allowed name like it
     */
    public static String allowedNameLike(String name) {
        String allowed = NOT_IN_A_NAME.matcher(name).replaceAll("-");
        if (allowed.isEmpty()) {
            return DEFAULT_CHANNEL;
        }
        return allowed.substring(0, Math.min(allowed.length(), EventFdRules.MAX_CHANNEL_NAME_LENGTH));
    }

    /**
     * A channel with the default settings: counter mode, initial value 0, executor dispatch, signals made in
     * a transaction ringing after its commit.
     * @param name the channel name
     * @return the definition
     */
    public static ChannelDefinition withDefaults(String name) {
        return new ChannelDefinition(name, EventFdMode.COUNTER, 0, Dispatch.EXECUTOR, null);
    }
}
