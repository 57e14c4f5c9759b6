package io.github.eventfd.share;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.EventFd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fan-out's writer on its own, without sockets: rounds, and what a round of nobody leaves behind. */
@EnabledOnOs(OS.LINUX)
class FanOutTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private final List<Topology.Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private final Resources resources = new Resources();

    private final FanOut fanOut = this.resources.add(new FanOut("fan-out-test", () -> this.subscribers));

    @AfterEach
    void close() throws Exception {
        this.resources.close();
    }

    private EventFd subscribe() {
        EventFd eventFd = this.resources.add(EventFd.create());
        this.subscribers.add(new Topology.Subscriber(eventFd, new PeerInfo(1, 1, 1, true)));
        return eventFd;
    }

    @Test
    void whenACountArrivesWhileNobodySubscribesThenLaterCountsStillReachLaterSubscribers() {
        assertThat(this.fanOut.offer(3)).isTrue();
        // a round of nobody: the writer took the count and waits for the next
        await().atMost(BOUND).until(this.fanOut::caughtUp);
        EventFd subscriber = subscribe();
        this.fanOut.offer(1);
        await().atMost(BOUND).until(() -> subscriber.pendingCount() == 1);
    }

    @Test
    void whenCountsArriveFasterThanRoundsThenEverySubscriberGetsTheirSum() {
        EventFd first = subscribe();
        EventFd second = subscribe();
        for (int i = 0; i < 1_000; i++) {
            this.fanOut.offer(2);
        }
        await().atMost(BOUND).until(() -> first.pendingCount() == 2_000 && second.pendingCount() == 2_000);
    }

    @Test
    void whenASubscriberCounterIsFullThenItIsDroppedAndTheOthersStillGetTheCount() {
        EventFd full = subscribe();
        EventFd other = subscribe();
        full.signalUnsigned(EventFd.MAX_COUNT);
        this.fanOut.offer(5);
        await().atMost(BOUND).until(() -> other.pendingCount() == 5);
        await().atMost(BOUND).until(() -> this.fanOut.droppedReady().pendingCount() > 0);
        FanOut.Dropped dropped = this.fanOut.nextDropped();
        assertThat(dropped).isNotNull();
        assertThat(dropped.subscriber().eventFd()).isSameAs(full);
        assertThat(dropped.why()).contains("full");
        assertThat(this.fanOut.nextDropped()).isNull();
    }
}
