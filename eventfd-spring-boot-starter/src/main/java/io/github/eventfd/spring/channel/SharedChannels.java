package io.github.eventfd.spring.channel;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.PollerRegistration;
import io.github.eventfd.SignalCallback;
import io.github.eventfd.share.ShareErrorReason;
import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareListener;
import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.SharedChannel;
import org.jspecify.annotations.Nullable;

/**
 * The starter's one use of the core's sharing API: opening a shared channel from its definition, turning
 * its callbacks into {@link ChannelHooks}, registering what this process reads with the poller, and finding
 * the eventfd it reads now. A shared channel's counter is a {@link DeferredSharedCounter} until the application
 * starts, and the shared channel inside it from then on.
 */
final class SharedChannels {

    private SharedChannels() {
    }

    /**
     * Open (serve or attach) a shared channel.
     * @param definition the channel
     * @param sharing how it is shared
     * @param hooks where its resyncs go
     * @param shareErrors refusals by reason, counted here
     * @return the open channel
     */
    static SharedChannel open(ChannelDefinition definition, ChannelSharing sharing, ChannelHooks hooks,
            Map<ShareErrorReason, LongAdder> shareErrors) {
        ShareOptions options = ShareOptions.builder(definition.name(), sharing.socket()).kind(sharing.kind())
                .mode(definition.mode()).initialValue(definition.initialValue()).role(sharing.role())
                .socketPermissions(sharing.socketPermissions()).allowedUids(sharing.allowedUids())
                .reconnectInterval(sharing.reconnectInterval()).attachTimeout(sharing.attachTimeout())
                .maxPeers(sharing.maxPeers()).build();
        ShareListener listener = new ShareListener() {
            @Override
            public void resync(String reason) {
                hooks.resync(reason);
            }

            @Override
            public void refused(ShareErrorReason reason, String detail) {
                LongAdder errors = shareErrors.get(reason);
                if (errors != null) {
                    errors.increment();
                }
            }
        };
        return SharedChannel.open(options, listener);
    }

    /**
     * Whether a counter is shared with other processes (open or not yet).
     */
    static boolean isShared(EventCounter counter) {
        return counter instanceof DeferredSharedCounter || counter instanceof SharedChannel;
    }

    /**
     * The shared channel of a counter, once it is open.
     * @return the channel, or {@code null} for a counter of this process only or a shared one not open yet
     */
    static @Nullable SharedChannel shared(EventCounter counter) {
        if (counter instanceof DeferredSharedCounter deferred) {
            return deferred.shared();
        }
        return (counter instanceof SharedChannel shared) ? shared : null;
    }

    /**
     * Serve or attach a shared counter that is not open yet, waiting for a server up to its attach timeout;
     * nothing for any other counter.
     * @throws ChannelSharingException if it can neither serve nor attach
     */
    static void open(EventCounter counter) {
        if (counter instanceof DeferredSharedCounter deferred) {
            deferred.open();
        }
    }

    /**
     * The eventfd this process reads of a counter: the counter itself, the local eventfd of a shared channel,
     * or {@code null} for an in-memory counter or a shared channel without one now.
     */
    static @Nullable EventFd readableEventFd(EventCounter counter) {
        SharedChannel shared = shared(counter);
        if (shared != null) {
            return shared.localEventFd();
        }
        return (counter instanceof EventFd eventFd) ? eventFd : null;
    }

    /**
     * Add {@code count} back to what this process reads: to the local eventfd of a shared broadcast (other
     * processes have had their delivery), to the queue of a shared queue (any consumer may take it), or to
     * the counter itself.
     * @throws IllegalStateException if the counter is closed
     * @throws io.github.eventfd.CounterOverflowException if the counter is full
     */
    static void addBack(EventCounter counter, long count) {
        EventFd local = readableEventFd(counter);
        if (local != null) {
            local.signalUnsigned(count);
        }
        else {
            counter.signalUnsigned(count);
        }
    }

    /**
     * Deliver the signals of an eventfd-backed counter through {@code poller}; a shared channel's registration
     * follows the channel to whatever eventfd it reads after a takeover.
     * @param executor where the callback runs, {@code null} for the poller thread
     * @return the registration, or {@code null} for an in-memory counter
     */
    static @Nullable PollerRegistration register(EventCounter counter, EventFdPoller poller, SignalCallback callback,
            @Nullable Executor executor) {
        SharedChannel shared = shared(counter);
        if (shared != null) {
            return (executor != null) ? shared.register(poller, callback, executor) : shared.register(poller, callback);
        }
        if (counter instanceof EventFd eventFd) {
            return (executor != null) ? poller.register(eventFd, callback, executor) : poller.register(eventFd, callback);
        }
        return null;
    }

    /**
     * Whether a counter is a shared queue, whose signals only the processes with listeners may read.
     */
    static boolean isSharedQueue(EventCounter counter) {
        SharedChannel shared = shared(counter);
        return shared != null && shared.shareOptions().kind() == ShareKind.QUEUE;
    }
}
