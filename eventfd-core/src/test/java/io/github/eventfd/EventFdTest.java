package io.github.eventfd;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import io.github.eventfd.internal.FdInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class EventFdTest extends EventCounterContractTests {

    private static final long O_NONBLOCK = 04000;

    private static final long O_CLOEXEC = 02000000;

    @Override
    protected EventCounter create(EventFdMode mode, long initialValue) {
        return EventFd.create(mode, initialValue);
    }

    /** Threads now blocked in poll(2) inside a read, whichever native backend makes the call. */
    @Override
    protected long blockedReaders() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("pollIn")
                        && frame.getClassName().equals("io.github.eventfd.internal.Posix")))
                .count();
    }

    @Test
    void whenCreatedThenDescriptorIsNonBlockingAndCloseOnExec() {
        try (EventFd eventFd = EventFd.create()) {
            int flags = FdInfo.of(eventFd.descriptorNumber()).flags();
            assertThat(flags & O_NONBLOCK).isEqualTo(O_NONBLOCK);
            assertThat(flags & O_CLOEXEC).isEqualTo(O_CLOEXEC);
            assertThat(ProcFs.fdTarget(eventFd.descriptorNumber())).isEqualTo("anon_inode:[eventfd]");
        }
    }

    @Test
    void whenClosedThenToStringShowsDescriptorAndState() {
        EventFd eventFd = EventFd.create();
        int number = eventFd.descriptorNumber();
        assertThat(eventFd).hasToString("EventFd(fd=" + number + ", COUNTER)");
        eventFd.close();
        assertThat(eventFd).hasToString("EventFd(fd=" + number + ", COUNTER, closed)");
    }

    @Test
    void whenClosedThenItsNumberReusedByAnotherFileIsNeverTouched() {
        EventFd stale = EventFd.create();
        int number = stale.descriptorNumber();
        stale.close();
        try (EventFd reuser = EventFd.create()) {
            assertThat(reuser.descriptorNumber()).isEqualTo(number);
            assertThatIllegalStateException().isThrownBy(stale::signal);
            assertThatIllegalStateException().isThrownBy(stale::tryRead);
            assertThat(reuser.pendingCount()).isZero();
        }
    }

    @Test
    void whenClosedWhileReadWaitsThenReaderFailsAndDescriptorIsReleased() throws Exception {
        long before = ProcFs.openFdCount();
        EventFd eventFd = EventFd.create();
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(eventFd::read, READERS);
        await().until(() -> blockedReaders() == 1);
        eventFd.close();
        assertThat(reader).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("was closed while a read was waiting");
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }

    @Test
    void whenOpenedAndClosedTenThousandTimesThenNoDescriptorLeaks() {
        long before = ProcFs.openFdCount();
        for (int i = 0; i < 10_000; i++) {
            EventFd eventFd = EventFd.create(EventFdMode.SEMAPHORE, i);
            eventFd.signal();
            eventFd.tryRead();
            if (i % 100 == 0) {
                eventFd.read(Duration.ofMillis(0));
            }
            eventFd.close();
        }
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }
}
