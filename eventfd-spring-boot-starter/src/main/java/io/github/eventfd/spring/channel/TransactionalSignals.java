package io.github.eventfd.spring.channel;

import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.CounterOverflowException;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdRules;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Holds back the signals of one channel ({@link SignalTiming#AFTER_COMMIT}) made inside a Spring-managed
 * transaction until it completes, as {@code @TransactionalEventListener(phase = AFTER_COMMIT)} does with
 * events: one {@link TransactionSynchronization} per channel and transaction adds them up, and after a commit
 * rings once with the sum; after a rollback it rings not at all.
 *
 * <ul>
 * <li>A transaction is what Spring calls an actual transaction with synchronization: a scope that has only
 * synchronization ({@code SUPPORTS}, {@code NOT_SUPPORTED} or {@code NEVER} propagation without a transaction
 * around it) commits nothing, so its signals ring at once, as Spring's own after-commit listeners fall back to.
 * A participating scope ({@code REQUIRED} joining, {@code NESTED}) shares its transaction's synchronizations: its
 * signals ring when the outermost transaction commits, even if a nested scope rolled back to its savepoint
 * (a doorbell for nothing costs a listener one look at the data). {@code REQUIRES_NEW} rings when the inner
 * transaction commits.</li>
 * <li>The sum rings in {@code afterCompletion} with the status committed, as Spring's {@code AFTER_COMMIT}
 * phase does, so a signal made by another synchronization's {@code afterCommit} rings too. When the outcome is
 * unknown (the commit failed without a rollback), it rings: a spurious wake-up costs a look at the data, a
 * missing one leaves committed work waiting for the next signal.</li>
 * <li>A signal that would take the transaction's sum past {@link EventFd#MAX_COUNT} throws a
 * {@link CounterOverflowException} at once, in the transaction, and adds nothing, as a signal outside a
 * transaction does when the counter is full.</li>
 * <li>A sum that cannot be written after the commit (the channel was closed, the counter is full) is never
 * thrown into the committing thread: it is logged at error level with the channel and the count, and counted
 * ({@code eventfd.signals.failed}).</li>
 * </ul>
 *
 * <p>Only transactions bound to the thread are seen: a reactive transaction lives in a Reactor context, so
 * signals made in one ring at once. Without spring-tx on the class path nothing is held back; this class then
 * never touches its types, and only {@code PendingSum} names them in a signature, so that loading and
 * verifying this class does not need them.
 */
final class TransactionalSignals {

    private static final Log logger = LogFactory.getLog(TransactionalSignals.class);

    private static final boolean SPRING_TX_PRESENT = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            TransactionalSignals.class.getClassLoader());

    /** Writes a sum to the channel's counter. */
    @FunctionalInterface
    interface Ring {

        /**
         * Add {@code sum} to the counter.
         * @param sum the unsigned sum, 1 to {@link EventFd#MAX_COUNT}
         */
        void ring(long sum);
    }

    private final String channel;

    private final Ring ring;

    private final LongAdder failures;

    TransactionalSignals(String channel, Ring ring, LongAdder failures) {
        this.channel = channel;
        this.ring = ring;
        this.failures = failures;
    }

    /**
     * What holds back the signals of a channel, if anything does.
     * @param definition the channel
     * @param ring writes to the channel's counter
     * @param failures counts the sums that could not be written after a commit
     * @return {@code null} if the channel rings at once or spring-tx is not on the class path
     */
    static @Nullable TransactionalSignals of(ChannelDefinition definition, Ring ring, LongAdder failures) {
        return (definition.signalTiming() == SignalTiming.AFTER_COMMIT && SPRING_TX_PRESENT)
                ? new TransactionalSignals(definition.name(), ring, failures) : null;
    }

    /**
     * Whether this thread runs inside a transaction whose commit signals wait for. Outside any
     * synchronization this costs one thread-local lookup and allocates nothing.
     * @return {@code false} if a signal rings at once
     */
    boolean inTransaction() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive();
    }

    /**
     * Hold back {@code n} until the transaction of this thread completes; only {@link #inTransaction() inside}
     * one.
     * @param n the signal, 1 to {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if {@code n} is 0 or negative
     * @throws CounterOverflowException if the transaction's sum would pass {@link EventFd#MAX_COUNT}; nothing
     * is added
     */
    void holdBack(long n) {
        EventFdRules.checkSignal(n);
        PendingSum pending = (PendingSum) TransactionSynchronizationManager.getResource(this);
        if (pending != null && pending.completed) {
            // its transaction completed on another thread (a JTA time-out rollback), which could not unbind it here
            TransactionSynchronizationManager.unbindResource(this);
            pending = null;
        }
        if (pending == null) {
            pending = PendingSum.register(this);
        }
        pending.add(n);
    }

    private void ringAfterCommit(long sum) {
        try {
            this.ring.ring(sum);
        }
        catch (RuntimeException ex) {
            this.failures.increment();
            logger.error("eventfd channel '" + this.channel + "': the signal of " + Long.toUnsignedString(sum)
                    + " made in a transaction that committed could not be written after the commit (" + ex.getMessage()
                    + "); its listeners get no wake-up for it (counted in eventfd.signals.failed)", ex);
        }
    }

    @Override
    public String toString() {
        return "TransactionalSignals(" + this.channel + ")";
    }

    /**
     * The sum of one channel's signals in one transaction. Bound as a transaction resource under its
     * {@link TransactionalSignals}, so the next signal of the transaction finds it; unbound while the
     * transaction is suspended and when it completes.
     */
    private static final class PendingSum implements TransactionSynchronization {

        private final TransactionalSignals owner;

        /** Unsigned; only the transaction's thread touches it. */
        private long sum;

        /** Set when the transaction completed, on whatever thread completed it. */
        private volatile boolean completed;

        private PendingSum(TransactionalSignals owner) {
            this.owner = owner;
        }

        /**
         * Start the sum of {@code owner} in the transaction of this thread. Only this class names spring-tx
         * types in a signature, so the verifier of {@link TransactionalSignals} never needs them.
         */
        static PendingSum register(TransactionalSignals owner) {
            PendingSum pending = new PendingSum(owner);
            TransactionSynchronizationManager.registerSynchronization(pending);
            TransactionSynchronizationManager.bindResource(owner, pending);
            return pending;
        }

        void add(long n) {
            if (Long.compareUnsigned(n, EventFd.MAX_COUNT - this.sum) > 0) {
                throw new CounterOverflowException(n, "eventfd channel '" + this.owner.channel + "' in this "
                        + "transaction, which has signalled " + Long.toUnsignedString(this.sum) + " already");
            }
            this.sum += n;
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(this.owner);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(this.owner, this);
        }

        @Override
        public void afterCompletion(int status) {
            this.completed = true;
            // on the transaction's thread (a JTA rollback may complete on another, where the key is not ours)
            if (TransactionSynchronizationManager.getResource(this.owner) == this) {
                TransactionSynchronizationManager.unbindResource(this.owner);
            }
            if (status != STATUS_ROLLED_BACK && this.sum != 0) {
                this.owner.ringAfterCommit(this.sum);
            }
        }

        @Override
        public String toString() {
            return "PendingSum(" + this.owner.channel + ", " + Long.toUnsignedString(this.sum) + ")";
        }
    }
}
