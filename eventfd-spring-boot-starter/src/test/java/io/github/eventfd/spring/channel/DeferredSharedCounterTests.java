package io.github.eventfd.spring.channel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.ShareRole;
import io.github.eventfd.share.SharedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** A shared channel's counter before and while it opens: no count is lost, whatever races the opening. */
@EnabledOnOs(OS.LINUX)
class DeferredSharedCounterTests {

    @TempDir
    Path directory;

    private DeferredSharedCounter counter(String channel, ShareRole role, Duration attachTimeout) {
        Path socket = this.directory.resolve(channel + ".sock");
        ChannelSharing sharing = new ChannelSharing(socket, ShareKind.QUEUE, role, Set.of(),
                Set.of(SharedChannel.currentUid()), Duration.ofMillis(20), attachTimeout,
                ShareOptions.DEFAULT_MAX_PEERS);
        ChannelDefinition definition = new ChannelDefinition(channel, EventFdMode.COUNTER, 0, Dispatch.EXECUTOR, sharing);
        return new DeferredSharedCounter(definition, socket, () -> SharedChannel.open(ShareOptions
                .builder(channel, socket).role(role).attachTimeout(attachTimeout).build()));
    }

    @Test
    void whenSignalsRaceTheOpeningThenEveryCountEndsInTheSharedCounter() throws Exception {
        int threads = 3;
        for (int round = 0; round < 20; round++) {
            DeferredSharedCounter counter = counter("c" + round, ShareRole.AUTO, Duration.ofSeconds(10));
            try {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLongArray sent = new AtomicLongArray(threads);
                List<Thread> signallers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int index = t;
                    Thread signaller = new Thread(() -> {
                        while (!stop.get()) {
                            counter.signal();
                            sent.incrementAndGet(index);
                        }
                    });
                    signallers.add(signaller);
                    signaller.start();
                }
                // every thread signals before, while and after the channel opens
                await().until(() -> total(sent) > 1_000);
                counter.open();
                long opened = total(sent);
                await().until(() -> total(sent) > opened + 1_000);
                stop.set(true);
                for (Thread signaller : signallers) {
                    signaller.join();
                }
                assertThat(counter.shared()).isNotNull();
                assertThat(counter.shared().pendingCount()).as("round %d", round).isEqualTo(total(sent));
            }
            finally {
                counter.close();
            }
        }
    }

    private static long total(AtomicLongArray counts) {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    @Test
    void whenItCannotOpenThenTheFailureNamesTheChannelAndSocketAndTheCountsStayUsable() {
        DeferredSharedCounter counter = counter("orders", ShareRole.ATTACH, Duration.ZERO);
        try {
            counter.signal(2);
            assertThatExceptionOfType(ChannelSharingException.class).isThrownBy(counter::open)
                    .withMessageStartingWith("eventfd channel 'orders' could not be shared through "
                            + this.directory.resolve("orders.sock") + ": channel 'orders': nobody serves")
                    .satisfies(ex -> assertThat(ex.getChannel()).isEqualTo("orders"));
            assertThat(counter.shared()).isNull();
            assertThat(counter.pendingCount()).isEqualTo(2);
        }
        finally {
            counter.close();
        }
        assertThat(counter.isClosed()).isTrue();
    }
}
