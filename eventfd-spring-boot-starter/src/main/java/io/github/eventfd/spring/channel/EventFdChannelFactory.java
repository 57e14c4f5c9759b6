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
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Creates the counters of channels under the fallback policy: eventfds where eventfd(2) exists, in-JVM
 * counters with the same semantics where it does not (or when asked for), and shared channels for those
 * configured with a socket. Where in-JVM counters are used, a channel configured to be shared runs in this
 * process only, with a warning that names it, so that the application still starts on a developer laptop; with
 * the policy {@code FAIL}, startup fails instead. For tests, {@link #synchronous} makes in-JVM channels delivered
 * on the thread that signals them.
 */
public class EventFdChannelFactory {

    private static final Log logger = LogFactory.getLog(EventFdChannelFactory.class);

    private final CounterImplementation implementation;

    private final String inMemoryReason;

    private final String inMemoryAdvice;

    private final ApplicationEventPublisher publisher;

    private final boolean synchronous;

    /**
     * Create the factory, choosing what backs the channels once.
     * @param fallback what to do where eventfd is missing
     * @param publisher where the channels publish their deliveries
     * @throws EventFdUnavailableException if eventfd is missing and the fallback policy is {@code FAIL}
     */
    public EventFdChannelFactory(FallbackPolicy fallback, ApplicationEventPublisher publisher) {
        this(fallback, publisher, EventFdSupport.unavailabilityCause());
    }

    /**
     * Create the factory as where eventfd is missing for {@code unavailable}, or present when it is {@code null}.
     */
    EventFdChannelFactory(FallbackPolicy fallback, ApplicationEventPublisher publisher, @Nullable Throwable unavailable) {
        Objects.requireNonNull(fallback, "'fallback' must not be null");
        this.publisher = Objects.requireNonNull(publisher, "'publisher' must not be null");
        this.implementation = chooseImplementation(fallback, unavailable);
        this.inMemoryReason = (fallback == FallbackPolicy.IN_MEMORY) ? "eventfd.fallback is 'in-memory'"
                : "eventfd(2) is not available here (" + unavailable + ") and eventfd.fallback is 'auto'";
        this.inMemoryAdvice = "Set eventfd.fallback=fail to stop startup instead";
        this.synchronous = false;
    }

    private EventFdChannelFactory(ApplicationEventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "'publisher' must not be null");
        this.implementation = CounterImplementation.IN_MEMORY;
        this.inMemoryReason = "signals are delivered on the signalling thread (the synchronous mode of "
                + "eventfd-spring-boot-test)";
        this.inMemoryAdvice = "Turn the synchronous mode off to share it";
        this.synchronous = true;
    }

    /**
     * A factory of in-JVM channels, whatever the fallback policy, whose signals are delivered on the thread that
     * signals them, before {@code signal()} returns: for tests, where counts must not depend on thread timing
     * (two signals in a row are two deliveries) and events must reach {@code @RecordApplicationEvents}. The
     * synchronous mode of {@code eventfd-spring-boot-test} declares it. Deliveries stay one at a time per channel
     * and are never nested: a listener that signals its own channel gets the next delivery after it returns, and
     * a signal made while another thread delivers the channel is delivered by that thread right after. A signal
     * made inside a transaction is delivered on the committing thread after the commit. Listeners that throw are
     * handled as always, by their error handler; the channels' {@code dispatch} setting does not apply.
     * @param publisher where the channels publish their deliveries
     * @return the factory
     */
    public static EventFdChannelFactory synchronous(ApplicationEventPublisher publisher) {
        return new EventFdChannelFactory(publisher);
    }

    private static CounterImplementation chooseImplementation(FallbackPolicy fallback, @Nullable Throwable unavailable) {
        return switch (fallback) {
            case IN_MEMORY -> CounterImplementation.IN_MEMORY;
            case FAIL -> {
                if (unavailable != null) {
                    throw new EventFdUnavailableException("eventfd.fallback is 'fail' and eventfd(2) is not available "
                            + "here (" + unavailable + "); set eventfd.fallback=auto to use in-JVM counters instead",
                            unavailable);
                }
                yield CounterImplementation.EVENTFD;
            }
            case AUTO -> {
                if (unavailable == null) {
                    yield CounterImplementation.EVENTFD;
                }
                logger.warn("eventfd(2) is not available here (" + unavailable + "); channels use in-JVM counters "
                        + "with the same semantics, and shared channels run in this process only");
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
     * ({@link EventFdChannelLifecycle#start()}); signals made before then reach it then. Where in-JVM counters
     * are used, a shared channel gets one too, in this process only, and a warning names it.
     * @param definition the channel
     * @return what the channel is constructed from
     */
    public ChannelParts create(ChannelDefinition definition) {
        Map<ShareErrorReason, LongAdder> shareErrors = new EnumMap<>(ShareErrorReason.class);
        for (ShareErrorReason reason : ShareErrorReason.values()) {
            shareErrors.put(reason, new LongAdder());
        }
        ChannelHooks hooks = new ChannelHooks();
        return new ChannelParts(definition, createCounter(definition, hooks, shareErrors), hooks, this.publisher,
                shareErrors, this.synchronous);
    }

    private EventCounter createCounter(ChannelDefinition definition, ChannelHooks hooks,
            Map<ShareErrorReason, LongAdder> shareErrors) {
        ChannelSharing sharing = definition.sharing();
        if (sharing != null && this.implementation == CounterImplementation.EVENTFD) {
            // opened when the application starts: creating the channel never waits for another process
            return new DeferredSharedCounter(definition, sharing.socket(),
                    () -> SharedChannels.open(definition, sharing, hooks, shareErrors));
        }
        if (sharing != null) {
            logger.warn("eventfd channel '" + definition.name() + "' is configured to be shared through "
                    + sharing.socket() + " but runs in this process only, on an in-JVM counter, because "
                    + this.inMemoryReason + ": other processes do not see its signals, nor it theirs. "
                    + this.inMemoryAdvice);
        }
        if (this.implementation == CounterImplementation.EVENTFD) {
            return EventFd.create(definition.mode(), definition.initialValue());
        }
        return new InMemoryEventCounter(definition.mode(), definition.initialValue(), hooks::signalled);
    }
}
