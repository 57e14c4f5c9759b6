package io.github.eventfd;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poller's token table: tokens stay unique and stale ones find nothing, and a table of 10,000 registrations
 * adds and removes without copying itself (the cost that made registering N channels O(N²)).
 */
class RegistrationTableTest {

    private static final int MANY = 10_000;

    private EventFdPoller poller;

    private EventFd eventFd;

    @BeforeEach
    void open() {
        this.poller = EventFdPoller.start();
        this.eventFd = EventFd.create();
    }

    @AfterEach
    void close() {
        this.poller.close();
        this.eventFd.close();
    }

    private RegisteredEventFd registration() {
        return new RegisteredEventFd(this.poller, this.eventFd, (fd, count) -> { }, null,
                (registration, error) -> { });
    }

    @Test
    void tokensAreUniqueAndFindTheirRegistration() {
        RegistrationTable table = new RegistrationTable();
        List<RegisteredEventFd> added = new ArrayList<>();
        Set<Long> tokens = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            RegisteredEventFd registration = registration();
            assertThat(table.add(registration)).isTrue();
            added.add(registration);
            tokens.add(registration.token());
        }
        assertThat(tokens).hasSize(100).doesNotContain(0L);
        for (RegisteredEventFd registration : added) {
            assertThat(table.get(registration.token())).isSameAs(registration);
        }
        assertThat(table.size()).isEqualTo(100);
        assertThat(table.all()).containsExactlyInAnyOrderElementsOf(added);
    }

    @Test
    void aStaleTokenFindsNothingAfterItsSlotIsReused() {
        RegistrationTable table = new RegistrationTable();
        RegisteredEventFd first = registration();
        table.add(first);
        long stale = first.token();
        table.remove(first);
        assertThat(table.get(stale)).isNull();
        RegisteredEventFd second = registration();
        table.add(second);
        assertThat((int) second.token()).as("the slot is reused").isEqualTo((int) stale);
        assertThat(table.get(stale)).isNull();
        assertThat(table.get(second.token())).isSameAs(second);
        assertThat(table.get(0)).isNull();
        assertThat(table.get(-1)).isNull();
        assertThat(table.get(Integer.MAX_VALUE)).isNull();
    }

    @Test
    void removingTwiceOrRemovingAStrangerChangesNothing() {
        RegistrationTable table = new RegistrationTable();
        RegisteredEventFd kept = registration();
        RegisteredEventFd removed = registration();
        table.add(kept);
        table.add(removed);
        table.remove(removed);
        table.remove(removed);
        table.remove(registration());
        assertThat(table.size()).isEqualTo(1);
        RegisteredEventFd a = registration();
        RegisteredEventFd b = registration();
        table.add(a);
        table.add(b);
        assertThat((int) a.token()).as("a slot freed once is handed out once").isNotEqualTo((int) b.token());
        assertThat(table.all()).containsExactlyInAnyOrder(kept, a, b);
    }

    @Test
    void aClosedTableRefusesAndStillListsWhatItHolds() {
        RegistrationTable table = new RegistrationTable();
        RegisteredEventFd held = registration();
        table.add(held);
        table.close();
        assertThat(table.add(registration())).isFalse();
        assertThat(table.all()).containsExactly(held);
        table.remove(held);
        assertThat(table.all()).isEmpty();
    }

    @Test
    void churnInALargeTableAllocatesNothing() {
        RegistrationTable table = new RegistrationTable();
        RegisteredEventFd[] registrations = new RegisteredEventFd[MANY];
        for (int i = 0; i < MANY; i++) {
            registrations[i] = registration();
            table.add(registrations[i]);
        }
        churn(table, registrations);  // warm up: code compiled, the free-slot stack at its size
        long before = allocatedBytes();
        churn(table, registrations);
        long allocated = allocatedBytes() - before;
        // copying the table on each add and remove allocates about 40 KB per call here, 800 MB in all
        assertThat(allocated).as("bytes allocated by %d removes and adds in a table of %d", 2 * MANY, MANY)
                .isLessThan(64 * 1024);
        assertThat(table.size()).isEqualTo(MANY);
        for (RegisteredEventFd registration : registrations) {
            assertThat(table.get(registration.token())).isSameAs(registration);
        }
    }

    private static void churn(RegistrationTable table, RegisteredEventFd[] registrations) {
        for (int i = 0; i < registrations.length; i++) {
            int at = (i * 7919) % registrations.length;
            table.remove(registrations[at]);
            table.add(registrations[at]);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
