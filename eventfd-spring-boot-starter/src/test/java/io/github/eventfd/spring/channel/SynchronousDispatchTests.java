package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.share.ShareErrorReason;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one race of the synchronous dispatch, made to happen every time: another thread signals just after the
 * delivering thread found the counter empty and before it let go of the channel. That signal finds the channel
 * taken and leaves its count to the delivering thread, which must look again once it has let go.
 */
class SynchronousDispatchTests {

    @Test
    void whenAnotherThreadSignalsBetweenTheLastReadAndTheEndOfADeliveryThenTheDeliveringThreadDeliversItToo()
            throws Exception {
        AtomicReference<SynchronousDispatch> dispatch = new AtomicReference<>();
        InMemoryEventCounter counter = new InMemoryEventCounter(EventFdMode.COUNTER, 0, () -> dispatch.get().signalled());
        AtomicBoolean raced = new AtomicBoolean();
        List<Long> delivered = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        EventCounter racing = new RacingCounter(counter, () -> {
            if (raced.compareAndSet(false, true)) {
                // returns at once: the channel is taken by the thread that runs this
                CompletableFuture.runAsync(counter::signal).get(10, TimeUnit.SECONDS);
            }
        });
        AbstractEventFdChannel channel = new AbstractEventFdChannel(new ChannelParts(ChannelDefinition.withDefaults("race"),
                racing, new ChannelHooks(), event -> {
                    delivered.add(((EventFdSignalEvent) event).getCount());
                    threads.add(Thread.currentThread());
                }, new EnumMap<>(ShareErrorReason.class), true)) {
        };
        dispatch.set(new SynchronousDispatch(channel));
        counter.signal();
        assertThat(raced).isTrue();
        assertThat(delivered).as("counts delivered when signal() returned").containsExactly(1L, 1L);
        assertThat(threads).containsOnly(Thread.currentThread());
        assertThat(counter.pendingCount()).isZero();
        assertThat(dispatch.get().close(Duration.ZERO)).isTrue();
    }

    /** A counter that runs {@code whenEmpty} each time a read finds nothing, before that read returns. */
    private static final class RacingCounter implements EventCounter {

        private final EventCounter delegate;

        private final ThrowingRunnable whenEmpty;

        RacingCounter(EventCounter delegate, ThrowingRunnable whenEmpty) {
            this.delegate = delegate;
            this.whenEmpty = whenEmpty;
        }

        @Override
        public long tryRead() {
            long count = this.delegate.tryRead();
            if (count == 0) {
                try {
                    this.whenEmpty.run();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return count;
        }

        @Override
        public EventFdMode mode() {
            return this.delegate.mode();
        }

        @Override
        public void signal() {
            this.delegate.signal();
        }

        @Override
        public void signal(long n) {
            this.delegate.signal(n);
        }

        @Override
        public void signalUnsigned(long n) {
            this.delegate.signalUnsigned(n);
        }

        @Override
        public long read() {
            return this.delegate.read();
        }

        @Override
        public long read(Duration timeout) {
            return this.delegate.read(timeout);
        }

        @Override
        public long pendingCount() {
            return this.delegate.pendingCount();
        }

        @Override
        public boolean isClosed() {
            return this.delegate.isClosed();
        }

        @Override
        public void close() {
            this.delegate.close();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {

        void run() throws Exception;
    }
}
