package io.github.eventfd.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of {@code @EventFdListener} calls, one per call of a listener with a delivery or a resync,
 * when {@code eventfd.listener.observation-enabled} is {@code true}.
 */
public enum EventFdListenerObservation implements ObservationDocumentation {

    /** One call of an {@code @EventFdListener} method. */
    LISTENER_OBSERVATION {

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultEventFdListenerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return ListenerLowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return ListenerHighCardinalityKeys.values();
        }
    };

    /** Low-cardinality keys: on the timer and the span. */
    public enum ListenerLowCardinalityKeys implements KeyName {

        /** The channel name. */
        CHANNEL {
            @Override
            public String asString() {
                return "channel";
            }
        },

        /** The listener's id: {@code @EventFdListener(id)}, else {@code SimpleClassName.method}. */
        LISTENER {
            @Override
            public String asString() {
                return "listener";
            }
        }
    }

    /** High-cardinality keys: on the span only. */
    public enum ListenerHighCardinalityKeys implements KeyName {

        /** The count delivered, {@code 0} for a resync. */
        COUNT {
            @Override
            public String asString() {
                return "eventfd.count";
            }
        }
    }
}
