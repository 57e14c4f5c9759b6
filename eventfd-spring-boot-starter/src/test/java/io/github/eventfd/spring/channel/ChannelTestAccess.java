package io.github.eventfd.spring.channel;

import org.jspecify.annotations.Nullable;

/** What tests of other packages need of a channel's package-private side. */
public final class ChannelTestAccess {

    private ChannelTestAccess() {
    }

    /**
     * Report a resync as a shared channel does when it attaches or takes over.
     * @param channel the channel
     * @param reason the reason
     */
    public static void resync(AbstractEventFdChannel channel, String reason) {
        channel.hooks().resync(reason);
    }

    /**
     * The reason of a resync asked for and not yet run.
     * @param channel the channel
     * @return the reason, or {@code null}
     */
    public static @Nullable String pendingResync(AbstractEventFdChannel channel) {
        return channel.pendingResync();
    }
}
