package io.github.eventfd.spring.channel;

import io.github.eventfd.spring.EventFdChannelEvent;

/**
 * Wraps the calls of {@code @EventFdListener} methods: the starter's listener meters and, when enabled, its
 * Micrometer {@code Observation} are interceptors. Every bean of this type applies, in
 * {@link org.springframework.core.Ordered order} (the first wraps the others); one bean never replaces another.
 * Deliveries only: {@code signal()} never passes through an interceptor.
 */
@FunctionalInterface
public interface ListenerInterceptor {

    /**
     * Called once per listener when it is added to its channel; what it returns wraps every call of it.
     * @param channel the channel name
     * @param listener the listener's id: {@code @EventFdListener(id)}, else {@code SimpleClassName.method}
     * @return the interception of that listener's calls
     */
    Interception listenerAdded(String channel, String listener);

    /** The interception of one listener's calls. */
    interface Interception {

        /**
         * Call the listener through {@code call}, or not; what {@code call} throws must be thrown on.
         * @param event the delivery or resync
         * @param call the rest of the chain, the listener last
         * @return what {@code call} returned: {@code false} if the listener's condition excluded the event
         * @throws Exception what the listener threw
         */
        boolean intercept(EventFdChannelEvent event, Call call) throws Exception;

        /** The listener's error handler asked for a failed delivery again. */
        default void retried() {
        }

        /** The listener's error handler gave a failed delivery up. */
        default void gaveUp() {
        }
    }

    /** The rest of an interceptor chain. */
    @FunctionalInterface
    interface Call {

        /**
         * Go on: the next interceptor, or the listener.
         * @return {@code false} if the listener's condition excluded the event, so it was not called
         * @throws Exception what the listener threw
         */
        boolean proceed() throws Exception;
    }
}
