package io.github.eventfd.spring.channel;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.EventCounter;
import io.github.eventfd.share.ShareErrorReason;

import org.springframework.context.ApplicationEventPublisher;

/**
 * What {@link EventFdChannelFactory} made for one channel, for the channel's constructor: nothing of it is
 * visible outside this package.
 */
public final class ChannelParts {

    private final ChannelDefinition definition;

    private final EventCounter counter;

    private final ChannelHooks hooks;

    private final ApplicationEventPublisher publisher;

    private final Map<ShareErrorReason, LongAdder> shareErrors;

    private final boolean synchronous;

    ChannelParts(ChannelDefinition definition, EventCounter counter, ChannelHooks hooks,
            ApplicationEventPublisher publisher, Map<ShareErrorReason, LongAdder> shareErrors, boolean synchronous) {
        this.definition = definition;
        this.counter = counter;
        this.hooks = hooks;
        this.publisher = publisher;
        this.shareErrors = shareErrors;
        this.synchronous = synchronous;
    }

    ChannelDefinition definition() {
        return this.definition;
    }

    EventCounter counter() {
        return this.counter;
    }

    ChannelHooks hooks() {
        return this.hooks;
    }

    ApplicationEventPublisher publisher() {
        return this.publisher;
    }

    Map<ShareErrorReason, LongAdder> shareErrors() {
        return this.shareErrors;
    }

    /** Whether the channel is delivered on the thread that signals it. */
    boolean synchronous() {
        return this.synchronous;
    }
}
