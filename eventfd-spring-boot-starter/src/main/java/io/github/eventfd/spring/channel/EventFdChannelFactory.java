package io.github.eventfd.spring.channel;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdSupport;
import io.github.eventfd.EventFdUnavailableException;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.share.ShareErrorReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Creates the counters of channels under the fallback policy: eventfds where eventfd(2) exists, in-JVM
 * counters with the same semantics where it does not (or when asked for), and shared channels for those
 * configured with a socket.
 */
public class EventFdChannelFactory {

    private static final Log logger = LogFactory.getLog(EventFdChannelFactory.class);

    private final CounterImplementation implementation;

    private final ApplicationEventPublisher publisher;

    /**
     * Create the factory, choosing what backs the channels once.
     * @param fallback what to do where eventfd is missing
     * @param publisher where the channels publish their deliveries
     * @throws EventFdUnavailableException if eventfd is missing and the fallback policy is {@code FAIL}
     */
    public EventFdChannelFactory(FallbackPolicy fallback, ApplicationEventPublisher publisher) {
        Objects.requireNonNull(fallback, "'fallback' must not be null");
        this.publisher = Objects.requireNonNull(publisher, "'publisher' must not be null");
        this.implementation = chooseImplementation(fallback);
    }

    private static CounterImplementation chooseImplementation(FallbackPolicy fallback) {
        return switch (fallback) {
            case IN_MEMORY -> CounterImplementation.IN_MEMORY;
            case FAIL -> {
                if (!EventFdSupport.isAvailable()) {
                    throw new EventFdUnavailableException("eventfd.fallback is 'fail' and eventfd(2) is not available "
                            + "here (" + EventFdSupport.unavailabilityCause() + "); set eventfd.fallback=auto to use "
                            + "in-JVM counters instead", EventFdSupport.unavailabilityCause());
                }
                yield CounterImplementation.EVENTFD;
            }
            case AUTO -> {
                if (EventFdSupport.isAvailable()) {
                    yield CounterImplementation.EVENTFD;
                }
                logger.warn("eventfd(2) is not available here (" + EventFdSupport.unavailabilityCause() + "); "
                        + "channels use in-JVM counters with the same semantics and cannot be shared between processes");
                yield CounterImplementation.IN_MEMORY;
            }
        };
    }

    /**
     * What backs the channels this factory creates.
     * @return eventfd, or in-memory where the fallback applies
     */
    public CounterImplementation implementation() {
        return this.implementation;
    }

    /**
     * Create the counter of a channel. A shared channel serves or attaches only when its delivery starts
     * ({@link EventFdChannelLifecycle#start()}); signals made before then reach it then.
     * @param definition the channel
     * @return what the channel is constructed from
     * @throws EventFdUnavailableException if the channel is shared and eventfd is not used here
     */
    public ChannelParts create(ChannelDefinition definition) {
        Map<ShareErrorReason, LongAdder> shareErrors = new EnumMap<>(ShareErrorReason.class);
        for (ShareErrorReason reason : ShareErrorReason.values()) {
            shareErrors.put(reason, new LongAdder());
        }
        ChannelHooks hooks = new ChannelHooks();
        return new ChannelParts(definition, createCounter(definition, hooks, shareErrors), hooks, this.publisher,
                shareErrors);
    }

    private EventCounter createCounter(ChannelDefinition definition, ChannelHooks hooks,
            Map<ShareErrorReason, LongAdder> shareErrors) {
        ChannelSharing sharing = definition.sharing();
        if (sharing != null) {
            if (this.implementation != CounterImplementation.EVENTFD) {
                String name = definition.name();
                Throwable cause = EventFdSupport.unavailabilityCause();
                throw new EventFdUnavailableException("channel '" + name + "' is shared between processes "
                        + "(eventfd.channels." + name + ".share.socket) and that needs eventfd(2), which "
                        + ((cause != null) ? "is not available here: " + cause : "eventfd.fallback=in-memory turned off"),
                        cause);
            }
            // opened when the application starts: creating the channel never waits for another process
            return new DeferredSharedCounter(definition, sharing.socket(),
                    () -> SharedChannels.open(definition, sharing, hooks, shareErrors));
        }
        if (this.implementation == CounterImplementation.EVENTFD) {
            return EventFd.create(definition.mode(), definition.initialValue());
        }
        return new InMemoryEventCounter(definition.mode(), definition.initialValue(), hooks::signalled);
    }
}
