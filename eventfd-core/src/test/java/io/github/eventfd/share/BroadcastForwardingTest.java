package io.github.eventfd.share;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.eventfd.internal.UnixSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where a broadcast's signals travel: from the serving process's {@code signal()} and from the fan-in straight
 * to the fan-out's writer, so they reach the subscribers even while the server's own thread is busy with
 * something else (here, held in a listener it calls for a refused peer).
 */
@EnabledOnOs(OS.LINUX)
class BroadcastForwardingTest extends SharingTestSupport {

    private static final Duration BOUND = Duration.ofSeconds(5);

    /** Far longer than any wait of the test: the server's thread is released only by the test's end. */
    private static final Duration HOLD = Duration.ofSeconds(60);

    @Test
    void whenTheServersThreadIsHeldThenSignalsOfTheServerAndThroughTheFanInStillReachTheSubscribers()
            throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean returned = new AtomicBoolean();
        ShareListener holding = new ShareListener() {
            @Override
            public void refused(ShareErrorReason reason, String detail) {
                if (reason == ShareErrorReason.MALFORMED && held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await(HOLD.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    returned.set(true);
                }
            }
        };
        Path socket = this.directory.resolve("news.sock");
        SharedChannel server = closeLater(SharedChannel.open(options(socket, ShareRole.OWNER, false), holding));
        SharedChannel subscriber = closeLater(SharedChannel.open(options(socket, ShareRole.ATTACH, true)));
        SharedChannel publisher = closeLater(SharedChannel.open(options(socket, ShareRole.ATTACH, false)));
        await().atMost(BOUND).until(() -> server.peers().size() == 2);
        // registered after the channels, so closed before them: the server's thread is free before its close
        closeLater(release::countDown);
        UnixSocket hostile = closeLater(UnixSocket.connect(socket));
        hostile.send(new byte[] { 'X' });
        assertThat(held.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("the server's thread is held").isTrue();

        server.signal(2);
        publisher.signal(3);

        await().atMost(BOUND).until(() -> subscriber.pendingCount() == 5);
        assertThat(returned).as("the server's thread was held throughout").isFalse();
    }

    @Test
    void whenTheServerClosesRightAfterItsSignalsThenTheSubscribersHaveEveryCount() {
        for (int round = 1; round <= 10; round++) {
            Path socket = this.directory.resolve("closing-" + round + ".sock");
            SharedChannel server = SharedChannel.open(options(socket, ShareRole.OWNER, false), this.listener);
            SharedChannel subscriber = closeLater(SharedChannel.open(options(socket, ShareRole.ATTACH, true)));
            await().atMost(BOUND).until(() -> server.peers().size() == 1);
            for (int i = 0; i < round; i++) {
                server.signal(2);
            }
            // the writer reads the outbound eventfd on its own thread: the close must wait until it has written
            server.close();
            assertThat(subscriber.pendingCount()).as("round %d", round).isEqualTo(2L * round);
        }
    }

    private static ShareOptions options(Path socket, ShareRole role, boolean consume) {
        return ShareOptions.builder("news", socket).kind(ShareKind.BROADCAST).role(role).consume(consume)
                .reconnectInterval(Duration.ofMillis(20)).attachTimeout(Duration.ofSeconds(5)).build();
    }
}
