package io.github.eventfd.spring.observation;

import java.util.Objects;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.channel.ListenerInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Makes each call of an {@code @EventFdListener} method an {@link EventFdListenerObservation#LISTENER_OBSERVATION},
 * in scope while the method runs, so that what it does (a query, a call to another service) is a child of the
 * listener's span. The outermost interceptor. Deliveries only: {@code signal()} is not observed.
 */
public class EventFdListenerObservationInterceptor implements ListenerInterceptor, Ordered {

    /** The order of this interceptor: outermost, so that the others run inside the observation. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private final ObservationRegistry registry;

    private final @Nullable EventFdListenerObservationConvention convention;

    /**
     * Create the interceptor.
     * @param registry where the observations go
     * @param convention the application's convention, or {@code null} for
     * {@link DefaultEventFdListenerObservationConvention}
     */
    public EventFdListenerObservationInterceptor(ObservationRegistry registry,
            @Nullable EventFdListenerObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
        this.convention = convention;
    }

    @Override
    public Interception listenerAdded(String channel, String listener) {
        return (event, call) -> observe(channel, listener, event, call);
    }

    private boolean observe(String channel, String listener, EventFdChannelEvent event, Call call) throws Exception {
        if (this.registry.isNoop()) {
            return call.proceed();
        }
        Observation observation = EventFdListenerObservation.LISTENER_OBSERVATION.observation(this.convention,
                DefaultEventFdListenerObservationConvention.INSTANCE,
                () -> new EventFdListenerContext(channel, listener, event), this.registry);
        Boolean called = observation.observeChecked(call::proceed);
        return Boolean.TRUE.equals(called);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
