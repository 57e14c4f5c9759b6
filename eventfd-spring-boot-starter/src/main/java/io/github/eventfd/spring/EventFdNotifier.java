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
 *
 * <p>Inside a Spring-managed transaction a signal rings after the commit, so that a listener woken by it
 * finds the data the transaction wrote, and not at all after a rollback: the signals of one transaction on
 * one channel are added up and written once, as {@code @TransactionalEventListener(phase = AFTER_COMMIT)}
 * delivers events. Outside a transaction, and with {@code eventfd.channels.<name>.signal-timing=immediate},
 * a signal rings at once. A sum that cannot be written after the commit (the channel was closed, the counter
 * is full) is logged and counted in {@code eventfd.signals.failed}; the commit is not affected.
 */
public interface EventFdNotifier {

    /**
     * The channel this notifier rings.
     * @return the channel name, as under {@code eventfd.channels.<name>}
     */
    String channel();

    /**
     * Add 1 to the channel's counter: at once, or inside a transaction when it commits.
     * @throws io.github.eventfd.CounterOverflowException if the counter is at its maximum, or inside a
     * transaction if the sum the transaction signalled on this channel is; nothing is added
     * @throws IllegalStateException if the channel is closed (the application context has been closed); one
     * that closes between the signal and the commit is logged then
     */
    void signal();

    /**
     * Add {@code n} to the channel's counter: at once, or inside a transaction when it commits.
     * @param n 1 to {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if {@code n} is 0 or negative
     * @throws io.github.eventfd.CounterOverflowException if the counter would pass its maximum, or inside a
     * transaction if the sum the transaction signalled on this channel would; nothing is added
     * @throws IllegalStateException if the channel is closed; one that closes between the signal and the commit
     * is logged then
     */
    void signal(long n);

    /**
     * The count signalled but not yet delivered.
     * @return the unsigned count now in the counter
     */
    long pendingCount();
}
