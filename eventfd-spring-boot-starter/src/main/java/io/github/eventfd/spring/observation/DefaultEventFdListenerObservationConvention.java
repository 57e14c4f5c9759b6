package io.github.eventfd.spring.observation;

import io.github.eventfd.spring.observation.EventFdListenerObservation.ListenerHighCardinalityKeys;
import io.github.eventfd.spring.observation.EventFdListenerObservation.ListenerLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The documented convention of {@link EventFdListenerObservation#LISTENER_OBSERVATION}: name
 * {@value #NAME}, contextual name {@code "process <channel>"}, low-cardinality keys {@code channel} and
 * {@code listener}, high-cardinality key {@code eventfd.count}.
 */
public class DefaultEventFdListenerObservationConvention implements EventFdListenerObservationConvention {

    /** The observation's name, and the name of the timer a meter handler makes of it. */
    public static final String NAME = "eventfd.listener";

    /** The convention, for those who do not extend it. */
    public static final DefaultEventFdListenerObservationConvention INSTANCE =
            new DefaultEventFdListenerObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(EventFdListenerContext context) {
        return "process " + context.getChannel();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(EventFdListenerContext context) {
        return KeyValues.of(ListenerLowCardinalityKeys.CHANNEL.withValue(context.getChannel()),
                ListenerLowCardinalityKeys.LISTENER.withValue(context.getListener()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(EventFdListenerContext context) {
        return KeyValues.of(ListenerHighCardinalityKeys.COUNT.withValue(Long.toUnsignedString(context.getCount())));
    }
}
