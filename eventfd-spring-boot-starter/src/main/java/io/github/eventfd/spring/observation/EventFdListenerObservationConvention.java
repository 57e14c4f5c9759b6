package io.github.eventfd.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and key values of {@code @EventFdListener} observations. A bean of this type replaces
 * {@link DefaultEventFdListenerObservationConvention}; extend that to add to it rather than start afresh.
 */
public interface EventFdListenerObservationConvention extends ObservationConvention<EventFdListenerContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof EventFdListenerContext;
    }
}
