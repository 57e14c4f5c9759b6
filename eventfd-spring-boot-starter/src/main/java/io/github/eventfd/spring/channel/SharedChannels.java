package io.github.eventfd.spring.channel;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.ShareErrorReason;
import io.github.eventfd.ShareKind;
import io.github.eventfd.ShareListener;
import io.github.eventfd.ShareOptions;
import io.github.eventfd.SharedChannel;
import org.jspecify.annotations.Nullable;

/**
 * The starter's one use of the core's sharing API: opening a shared channel from its definition, turning
 * its callbacks into {@link ChannelHooks}, and finding the eventfd this process reads.
 */
final class SharedChannels {

    private SharedChannels() {
    }

    /**
     * Open (serve or attach) a shared channel.
     * @param definition the channel
     * @param sharing how it is shared
     * @param hooks where its resyncs and replaced eventfds go
     * @param shareErrors refusals by reason, counted here
     * @return the open channel
     */
    static SharedChannel open(ChannelDefinition definition, ChannelSharing sharing, ChannelHooks hooks,
            Map<ShareErrorReason, LongAdder> shareErrors) {
        ShareOptions options = new ShareOptions(definition.name(), sharing.socket(), sharing.kind(), definition.mode(),
                definition.initialValue(), sharing.role(), sharing.socketPermissions(), sharing.allowedUids(), true,
                sharing.reconnectInterval());
        ShareListener listener = new ShareListener() {
            @Override
            public void resync(String reason) {
                hooks.resync(reason);
            }

            @Override
            public void eventFdReplaced(EventFd current) {
                hooks.eventFdReplaced();
            }

            @Override
            public void refused(ShareErrorReason reason, String detail) {
                LongAdder errors = shareErrors.get(reason);
                if (errors != null) {
                    errors.increment();
                }
            }
        };
        return SharedChannel.open(options, listener, sharing.attachTimeout());
    }

    /**
     * The eventfd this process reads of a counter: the counter itself, the local eventfd of a shared channel,
     * or {@code null} for an in-memory counter or a shared channel without one now.
     */
    static @Nullable EventFd readableEventFd(EventCounter counter) {
        if (counter instanceof SharedChannel shared) {
            return shared.localEventFd();
        }
        return (counter instanceof EventFd eventFd) ? eventFd : null;
    }

    /**
     * Whether a counter is a shared queue, whose signals only the processes with listeners may read.
     */
    static boolean isSharedQueue(EventCounter counter) {
        return counter instanceof SharedChannel shared && shared.shareOptions().kind() == ShareKind.QUEUE;
    }
}
