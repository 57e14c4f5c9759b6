package io.github.eventfd.spring.channel;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.CounterOverflowException;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Signals held back until a commit, under a real transaction manager over an in-memory H2 database: what
 * rings, when, and as how many writes, for each propagation Spring offers.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransactionalSignalsTests {

    private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
            "jdbc:h2:mem:signals-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    private final DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(this.dataSource);

    /** The writes that reached the counter, one element per write. */
    private final List<Long> rung = new CopyOnWriteArrayList<>();

    private final LongAdder failures = new LongAdder();

    private final TransactionalSignals signals = new TransactionalSignals("orders", this.rung::add, this.failures);

    @AfterEach
    void noResourceLeftBound() {
        assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
        assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isFalse();
    }

    private TransactionTemplate transaction(int propagation) {
        TransactionTemplate template = new TransactionTemplate(this.transactionManager);
        template.setPropagationBehavior(propagation);
        return template;
    }

    private TransactionTemplate transaction() {
        return transaction(TransactionDefinition.PROPAGATION_REQUIRED);
    }

    /** Hold back {@code n}, failing if it would ring at once. */
    private void heldBack(long n) {
        assertThat(this.signals.inTransaction()).as("in a transaction").isTrue();
        this.signals.holdBack(n);
    }

    @Test
    void whenSignalledInsideATransactionThenNothingRingsBeforeTheCommitAndThenOneWriteOfTheSum() {
        transaction().executeWithoutResult(status -> {
            heldBack(1);
            heldBack(2);
            heldBack(3);
            assertThat(this.rung).isEmpty();
        });
        assertThat(this.rung).containsExactly(6L);
    }

    @Test
    void whenTheTransactionRollsBackThenNothingRingsAndTheNextTransactionStartsAFreshSum() {
        transaction().executeWithoutResult(status -> {
            heldBack(4);
            status.setRollbackOnly();
        });
        assertThat(this.rung).isEmpty();
        transaction().executeWithoutResult(status -> heldBack(1));
        assertThat(this.rung).containsExactly(1L);
    }

    @Test
    void whenNoSynchronizationIsActiveThenTheCallerRingsAtOnce() {
        assertThat(this.signals.inTransaction()).isFalse();
    }

    @Test
    void whenAScopeHasSynchronizationButNoTransactionThenTheCallerRingsAtOnce() {
        for (int propagation : new int[] { TransactionDefinition.PROPAGATION_SUPPORTS,
                TransactionDefinition.PROPAGATION_NOT_SUPPORTED, TransactionDefinition.PROPAGATION_NEVER }) {
            transaction(propagation).executeWithoutResult(status -> {
                assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isTrue();
                assertThat(this.signals.inTransaction()).as("in a transaction").isFalse();
            });
        }
        assertThat(this.rung).isEmpty();
    }

    @Test
    void whenTheSumPassesLongMaxValueThenTheUnsignedSumRingsInOneWrite() {
        transaction().executeWithoutResult(status -> {
            heldBack(Long.MAX_VALUE);
            heldBack(Long.MAX_VALUE);
        });
        assertThat(this.rung).containsExactly(EventFd.MAX_COUNT);
    }

    @Test
    void whenASignalWouldTakeTheSumPastTheMaximumThenItThrowsAtOnceAndTheSumSoFarStillRings() {
        transaction().executeWithoutResult(status -> {
            heldBack(Long.MAX_VALUE);
            heldBack(Long.MAX_VALUE);
            assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.signals.holdBack(1))
                    .withMessageContaining("eventfd channel 'orders' in this transaction")
                    .withMessageContaining("nothing was added");
        });
        assertThat(this.rung).containsExactly(EventFd.MAX_COUNT);
    }

    @Test
    void whenTheSignalIsNotPositiveThenItIsRefusedInTheTransaction() {
        transaction().executeWithoutResult(status -> assertThatIllegalArgumentException()
                .isThrownBy(() -> this.signals.holdBack(0))
                .withMessage("'n' must be between 1 and 9223372036854775807 but was 0"));
        assertThat(this.rung).isEmpty();
    }

    @Test
    void whenAnInnerScopeJoinsTheTransactionThenOnlyTheOutermostCommitRings() {
        transaction().executeWithoutResult(outer -> {
            heldBack(1);
            transaction().executeWithoutResult(inner -> heldBack(2));
            assertThat(this.rung).isEmpty();
        });
        assertThat(this.rung).containsExactly(3L);
    }

    @Test
    void whenAnInnerTransactionRequiresNewThenItsCommitRingsItsOwnSum() {
        transaction().executeWithoutResult(outer -> {
            heldBack(1);
            transaction(TransactionDefinition.PROPAGATION_REQUIRES_NEW).executeWithoutResult(inner -> heldBack(2));
            assertThat(this.rung).containsExactly(2L);
            heldBack(4);
        });
        assertThat(this.rung).containsExactly(2L, 5L);
    }

    @Test
    void whenAnInnerTransactionRequiresNewAndRollsBackThenOnlyTheOuterSumRings() {
        transaction().executeWithoutResult(outer -> {
            heldBack(1);
            transaction(TransactionDefinition.PROPAGATION_REQUIRES_NEW).executeWithoutResult(inner -> {
                heldBack(2);
                inner.setRollbackOnly();
            });
            heldBack(4);
        });
        assertThat(this.rung).containsExactly(5L);
    }

    @Test
    void whenANestedScopeRollsBackToItsSavepointThenTheOuterCommitStillRingsItsSignals() {
        transaction().executeWithoutResult(outer -> {
            heldBack(1);
            transaction(TransactionDefinition.PROPAGATION_NESTED).executeWithoutResult(nested -> {
                heldBack(2);
                nested.setRollbackOnly();
            });
        });
        // documented: synchronizations belong to the outer transaction, as for @TransactionalEventListener
        assertThat(this.rung).containsExactly(3L);
    }

    @Test
    void whenAnotherSynchronizationSignalsInItsAfterCommitThenThatSignalRingsToo() {
        transaction().executeWithoutResult(status -> TransactionSynchronizationManager.registerSynchronization(
                new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        heldBack(5);
                    }
                }));
        assertThat(this.rung).containsExactly(5L);
    }

    @Test
    void whenAnotherSynchronizationSignalsInItsAfterCompletionThenTheCallerRingsAtOnce() {
        List<Boolean> heldBack = new CopyOnWriteArrayList<>();
        transaction().executeWithoutResult(status -> TransactionSynchronizationManager.registerSynchronization(
                new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int completion) {
                        heldBack.add(TransactionalSignalsTests.this.signals.inTransaction());
                    }
                }));
        assertThat(heldBack).containsExactly(false);
    }

    @Test
    void whenTheCommitOutcomeIsUnknownThenTheSumRings() {
        assertThatExceptionOfType(TransactionSystemException.class)
                .isThrownBy(() -> transaction().executeWithoutResult(status -> {
                    heldBack(3);
                    Connection connection = DataSourceUtils.getConnection(this.dataSource);
                    try {
                        connection.close();
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
        assertThat(this.rung).containsExactly(3L);
    }

    @Test
    void whenTheSumCannotBeWrittenAfterTheCommitThenTheCommitSucceedsAndTheFailureIsLoggedAndCounted(
            CapturedOutput output) {
        TransactionalSignals closed = new TransactionalSignals("orders", sum -> {
            throw new IllegalStateException("eventfd channel 'orders' is closed");
        }, this.failures);
        transaction().executeWithoutResult(status -> {
            assertThat(closed.inTransaction()).isTrue();
            closed.holdBack(7);
        });
        assertThat(this.failures.sum()).isOne();
        assertThat(output).contains("eventfd channel 'orders': the signal of 7 made in a transaction that committed "
                + "could not be written after the commit (eventfd channel 'orders' is closed)")
                .contains("counted in eventfd.signals.failed");
    }

    @Test
    void whenTimingIsImmediateThenNothingHoldsSignalsBack() {
        ChannelDefinition immediate = new ChannelDefinition("orders", EventFdMode.COUNTER, 0, Dispatch.EXECUTOR,
                SignalTiming.IMMEDIATE, null);
        assertThat(TransactionalSignals.of(immediate, this.rung::add, this.failures)).isNull();
        assertThat(TransactionalSignals.of(ChannelDefinition.withDefaults("orders"), this.rung::add, this.failures))
                .isNotNull();
    }
}
