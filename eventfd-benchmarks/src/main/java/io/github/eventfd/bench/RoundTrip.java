package io.github.eventfd.bench;

/**
 * One notification there and one back, measured from the sending thread.
 */
interface RoundTrip extends AutoCloseable {

    /** Signal the peer and wait for its answer. */
    void roundTrip() throws Exception;

    @Override
    void close() throws Exception;
}
