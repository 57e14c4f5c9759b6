package io.github.eventfd.spring;

/**
 * Observes {@code @EventFdListener} invocations; the metrics support implements it with Micrometer.
 */
@FunctionalInterface
public interface EventFdListenerObserver {

    /** An observer that records nothing. */
    EventFdListenerObserver NONE = (channel, listener) -> Observation.NONE;

    /**
     * Called once per listener method at startup; the returned observation is used for every invocation.
     * @param channel the channel the listener belongs to
     * @param listener the listener's name, {@code SimpleClassName.method}
     * @return the observation for that listener
     */
    Observation listenerRegistered(String channel, String listener);

    /**
     * Records the invocations of one listener. Implementations must not allocate per call.
     */
    interface Observation {

        /** An observation that records nothing. */
        Observation NONE = new Observation() {
            @Override
            public void succeeded(long nanos) {
            }

            @Override
            public void failed(long nanos, Throwable error) {
            }
        };

        /**
         * The listener returned normally.
         * @param nanos how long it ran
         */
        void succeeded(long nanos);

        /**
         * The listener threw.
         * @param nanos how long it ran
         * @param error what it threw
         */
        void failed(long nanos, Throwable error);

        /**
         * The listener's error handler asked for the failed delivery again.
         */
        default void retried() {
        }

        /**
         * The listener's error handler gave the failed delivery up.
         */
        default void gaveUp() {
        }
    }
}
