package io.github.eventfd.spring.channel;

import java.util.Objects;
import java.util.regex.Pattern;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one channel: name, read mode, initial value and where its listeners run.
 *
 * @param name the channel name: letters, digits, {@code .}, {@code -} and {@code _}
 * @param mode how a delivery consumes the counter
 * @param initialValue the starting count, 0 to 4294967295
 * @param dispatch where its listeners run
 * @param sharing how the channel is shared with other processes, or {@code null} for this process only
 */
public record ChannelDefinition(String name, EventFdMode mode, long initialValue, Dispatch dispatch,
        @Nullable ChannelSharing sharing) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** The channel that exists when no channel is configured or named by a listener. */
    public static final String DEFAULT_CHANNEL = "default";

    /**
     * Check the settings.
     * @throws IllegalArgumentException if the name is not allowed
     * @throws InvalidSettingException naming the bad setting and what is allowed
     */
    public ChannelDefinition {
        Objects.requireNonNull(name, "'name' must not be null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("channel name '" + name + "' is not allowed: use 1 to 128 letters, "
                    + "digits, '.', '-' or '_'");
        }
        Objects.requireNonNull(mode, "'mode' must not be null");
        Objects.requireNonNull(dispatch, "'dispatch' must not be null");
        if (initialValue < 0 || initialValue > EventFd.MAX_INITIAL_VALUE) {
            throw new InvalidSettingException("initialValue", "must be between 0 and " + EventFd.MAX_INITIAL_VALUE
                    + " but was " + initialValue);
        }
    }

    /**
     * Whether the channel is shared with other processes.
     * @return {@code true} if {@link #sharing()} is set
     */
    public boolean isShared() {
        return this.sharing != null;
    }

    /**
     * A channel with the default settings: counter mode, initial value 0, executor dispatch.
     * @param name the channel name
     * @return the definition
     */
    public static ChannelDefinition withDefaults(String name) {
        return new ChannelDefinition(name, EventFdMode.COUNTER, 0, Dispatch.EXECUTOR, null);
    }
}
