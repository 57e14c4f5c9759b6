package io.github.eventfd;

/**
 * A signal would have raised an eventfd counter past {@link EventFd#MAX_COUNT}; nothing was added.
 *
 * <p>The kernel refuses the whole write, so the counter keeps exactly the value it had: no count is lost
 * and none is added in part. The caller decides whether to retry after a reader has drained the counter.
 */
public class CounterOverflowException extends EventFdException {

    private final long attempted;

    /**
     * Create an exception for a refused signal.
     * @param attempted the unsigned value that was to be added
     * @param eventFd a description of the handle
     */
    public CounterOverflowException(long attempted, String eventFd) {
        super("signal of " + Long.toUnsignedString(attempted) + " on " + eventFd
                + " refused: the counter would pass its maximum " + Long.toUnsignedString(EventFd.MAX_COUNT)
                + "; nothing was added");
        this.attempted = attempted;
    }

    /**
     * The value the refused signal tried to add.
     * @return the value, unsigned
     */
    public long attempted() {
        return this.attempted;
    }
}
