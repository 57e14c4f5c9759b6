package io.github.eventfd.spring.channel;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transaction-held signals in the corners of Spring's transaction model: nested and suspended scopes,
 * completion on another thread, signals from afterCommit.
 */
class TransactionalSignalsEdgeCaseTests {

    private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
            "jdbc:h2:mem:edge-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    private final DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(this.dataSource);

    private final List<Long> rung = new CopyOnWriteArrayList<>();

    private final TransactionalSignals signals = new TransactionalSignals("orders", this.rung::add, new LongAdder());

    @AfterEach
    void cleanThread() {
        TransactionSynchronizationManager.getResourceMap().keySet()
                .forEach(TransactionSynchronizationManager::unbindResource);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clear();
        }
    }

    private TransactionTemplate transaction(int propagation) {
        TransactionTemplate template = new TransactionTemplate(this.transactionManager);
        template.setPropagationBehavior(propagation);
        return template;
    }

    /** Signal as AbstractEventFdChannel does: held back inside a transaction, rung at once outside. */
    private void signal(long n) {
        if (this.signals.inTransaction()) {
            this.signals.holdBack(n);
        }
        else {
            this.rung.add(n);
        }
    }

    /**
     * As under JTA when a transaction times out and the reaper rolls it back, afterCompletion runs on another
     * thread, which cannot unbind the sum from the transaction's own thread: the next transaction there must
     * start a sum of its own, not add to the completed one (whose signals would never ring).
     */
    @Test
    void aCompletionOnAnotherThreadDoesNotSwallowTheNextTransactionsSignals() throws Exception {
        // what JtaTransactionManager leaves on the thread: synchronization, an actual transaction
        TransactionSynchronizationManager.initSynchronization();
        TransactionSynchronizationManager.setActualTransactionActive(true);
        signal(1);
        List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
        // the reaper thread completes it; the transaction's thread then cleans up as Spring does
        Thread reaper = new Thread(() -> synchronizations
                .forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK)));
        reaper.start();
        reaper.join();
        TransactionSynchronizationManager.clear();
        assertThat(this.rung).isEmpty();
        // the next, ordinary transaction on this thread
        transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> signal(2));
        assertThat(this.rung).containsExactly(2L);
    }

    /** NOT_SUPPORTED inside a transaction rings at once, and the outer sum still rings after the resume. */
    @Test
    void aSuspendingScopeInsideATransactionKeepsTheOuterSum() {
        transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(outer -> {
            signal(1);
            transaction(TransactionDefinition.PROPAGATION_NOT_SUPPORTED).executeWithoutResult(inner -> {
                signal(10);
                transaction(TransactionDefinition.PROPAGATION_REQUIRES_NEW).executeWithoutResult(s -> signal(100));
            });
            signal(2);
            assertThat(this.rung).containsExactly(10L, 100L);
        });
        assertThat(this.rung).containsExactly(10L, 100L, 3L);
    }

    /** A signal in the afterCommit of a REQUIRES_NEW transaction rings with that transaction, not the outer. */
    @Test
    void aSignalInTheAfterCommitOfAnInnerTransactionRingsBeforeTheOuterCommits() {
        transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(outer -> {
            signal(1);
            transaction(TransactionDefinition.PROPAGATION_REQUIRES_NEW).executeWithoutResult(inner -> {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        signal(7);
                    }
                });
            });
            assertThat(this.rung).containsExactly(7L);
        });
        assertThat(this.rung).containsExactly(7L, 1L);
    }
}
