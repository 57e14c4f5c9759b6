package io.github.eventfd.spring;

/**
 * Rings one eventfd channel: inject it and call {@link #signal()} when there is something to wake up for.
 *
 * <pre>{@code
 * @Autowired @Qualifier("orders") EventFdNotifier orders;
 * orders.signal();
 * }</pre>
 *
 * <p>A signal is a doorbell, not a message: it carries only a count. Signals that arrive while a listener
 * of the channel runs coalesce, and the next delivery carries their sum. Thread-safe; signalling allocates
 * nothing.
 */
public interface EventFdNotifier {

    /**
     * The channel this notifier rings.
     * @return the channel name, as under {@code eventfd.channels.<name>}
     */
    String channel();

    /**
     * Add 1 to the channel's counter.
     * @throws io.github.eventfd.CounterOverflowException if the counter is at its maximum; nothing is added
     * @throws IllegalStateException if the channel is closed (the application context has been closed)
     */
    void signal();

    /**
     * Add {@code n} to the channel's counter.
     * @param n 1 to {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if {@code n} is 0 or negative
     * @throws io.github.eventfd.CounterOverflowException if the counter would pass its maximum; nothing is added
     * @throws IllegalStateException if the channel is closed
     */
    void signal(long n);

    /**
     * The count signalled but not yet delivered.
     * @return the unsigned count now in the counter
     */
    long pendingCount();
}
