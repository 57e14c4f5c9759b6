package io.github.eventfd.bench;

import io.github.eventfd.EventCounter;

/**
 * One notification there and one back, measured from the sending thread.
 */
interface RoundTrip extends AutoCloseable {

    /** Signal the peer and wait for its answer. */
    void roundTrip() throws Exception;

    @Override
    void close() throws Exception;

    /**
     * A round trip over two counters: signal {@code ping}, wait on {@code pong}; closing runs
     * {@code cleanup} and then closes both counters.
     */
    static RoundTrip overCounters(EventCounter ping, EventCounter pong,
            AutoCloseable cleanup) {
        return new RoundTrip() {
            @Override
            public void roundTrip() {
                ping.signal();
                pong.read();
            }

            @Override
            public void close() throws Exception {
                cleanup.close();
                ping.close();
                pong.close();
            }
        };
    }
}
