package io.github.eventfd;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryEventCounterTest extends EventCounterContractTests {

    @Override
    protected EventCounter create(EventFdMode mode, long initialValue) {
        return new InMemoryEventCounter(mode, initialValue);
    }

    /** Threads parked inside a read of this class. */
    @Override
    protected long blockedReaders() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey().getState() != Thread.State.RUNNABLE)
                .filter(entry -> Arrays.stream(entry.getValue()).anyMatch(frame ->
                        frame.getClassName().equals(InMemoryEventCounter.class.getName())
                                && frame.getMethodName().equals("read")))
                .count();
    }

    @Test
    void whenSignalledThenHookRunsOncePerSuccessfulSignal() {
        AtomicInteger hook = new AtomicInteger();
        try (InMemoryEventCounter counter = new InMemoryEventCounter(EventFdMode.COUNTER, 0, hook::incrementAndGet)) {
            counter.signal();
            counter.signal(3);
            counter.signalUnsigned(EventFd.MAX_COUNT - 4);
            try {
                counter.signal();
            }
            catch (CounterOverflowException expected) {
                // refused signals do not run the hook
            }
            assertThat(hook.get()).isEqualTo(3);
        }
    }
}
