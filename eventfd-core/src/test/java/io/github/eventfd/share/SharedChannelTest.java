package io.github.eventfd.share;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.PollerRegistration;
import io.github.eventfd.ProcFs;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.UnixSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Shared channels within one JVM: the lock makes each channel object a separate participant. */
@EnabledOnOs(OS.LINUX)
class SharedChannelTest extends SharingTestSupport {

    private ShareOptions options(ShareKind kind, ShareRole role, boolean consume) {
        return options(kind, role, consume, Duration.ofSeconds(5));
    }

    private ShareOptions options(ShareKind kind, ShareRole role, boolean consume, Duration attachTimeout) {
        return ShareOptions.builder("orders", this.directory.resolve("run/orders.sock")).kind(kind).role(role)
                .consume(consume).reconnectInterval(Duration.ofMillis(20)).attachTimeout(attachTimeout).build();
    }

    private SharedChannel open(ShareOptions options) {
        SharedChannel channel = SharedChannel.open(options, this.listener);
        this.resources.add(channel);
        return channel;
    }

    @Test
    void whenFirstAndSecondOpenThenFirstServesSecondAttachesAndBothShareOneCounter() {
        SharedChannel first = open(options(ShareKind.QUEUE, ShareRole.AUTO, true));
        SharedChannel second = open(options(ShareKind.QUEUE, ShareRole.AUTO, true));
        assertThat(first.state()).isEqualTo(ShareState.SERVING);
        assertThat(second.state()).isEqualTo(ShareState.ATTACHED);
        second.signal(3);
        first.signal(4);
        assertThat(first.pendingCount()).isEqualTo(7);
        assertThat(second.tryRead()).isEqualTo(7);
        assertThat(first.tryRead()).isZero();
        await().until(() -> first.peers().size() == 1);
        assertThat(first.peers().get(0).uid()).isEqualTo(SharedChannel.currentUid());
        assertThat(second.peers()).singleElement().satisfies(peer -> assertThat(peer.pid()).isEqualTo(ProcessHandle.current().pid()));
        assertThat(this.listener.resyncs()).hasSize(1);
    }

    @Test
    void whenServingThenSocketHasConfiguredModeAndParentDirectoryIsCreated() throws Exception {
        open(options(ShareKind.QUEUE, ShareRole.AUTO, true));
        Path socket = this.directory.resolve("run/orders.sock");
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void whenStaleSocketFileIsLeftThenTheNextOwnerReplacesIt() throws Exception {
        Path socket = this.directory.resolve("run/orders.sock");
        Files.createDirectories(socket.getParent());
        UnixSocket.listen(socket, 1).close();
        assertThat(socket).exists();
        SharedChannel channel = open(options(ShareKind.QUEUE, ShareRole.AUTO, true));
        assertThat(channel.state()).isEqualTo(ShareState.SERVING);
    }

    @Test
    void whenServerClosesThenAttachedParticipantTakesOverWithItsCount() {
        SharedChannel first = open(options(ShareKind.QUEUE, ShareRole.AUTO, false));
        SharedChannel second = open(options(ShareKind.QUEUE, ShareRole.AUTO, false));
        second.signal(5);
        first.close();
        await().until(() -> second.state() == ShareState.SERVING);
        assertThat(second.pendingCount()).isEqualTo(5);
        // the channel's thread shows it serves, then reports the takeover
        await().until(() -> this.listener.resyncs().stream().anyMatch(reason -> reason.startsWith("took over")));
        SharedChannel third = open(options(ShareKind.QUEUE, ShareRole.AUTO, false));
        assertThat(third.pendingCount()).isEqualTo(5);
    }

    @Test
    void whenBroadcastThenEverySubscriberSeesEverySignalAndLeaversAreDropped() {
        SharedChannel publisher = open(options(ShareKind.BROADCAST, ShareRole.AUTO, false));
        SharedChannel a = open(options(ShareKind.BROADCAST, ShareRole.AUTO, true));
        SharedChannel b = open(options(ShareKind.BROADCAST, ShareRole.AUTO, true));
        await().until(() -> publisher.peers().size() == 2);
        publisher.signal(2);
        a.signal(3);
        await().until(() -> a.pendingCount() == 5 && b.pendingCount() == 5);
        assertThat(publisher.pendingCount()).isZero();
        b.close();
        await().until(() -> publisher.peers().size() == 1);
        publisher.signal();
        await().until(() -> a.pendingCount() == 6);
    }

    @Test
    void whenRoleOwnerButAnotherServesThenOpenFails() {
        open(options(ShareKind.QUEUE, ShareRole.AUTO, true));
        assertThatExceptionOfType(ShareException.class)
                .isThrownBy(() -> open(options(ShareKind.QUEUE, ShareRole.OWNER, true)))
                .withMessageContaining("has role owner but another process serves");
    }

    @Test
    void whenRoleAttachAndNobodyServesThenOpenFailsAfterTheTimeout() {
        assertThatExceptionOfType(ShareException.class)
                .isThrownBy(() -> SharedChannel.open(options(ShareKind.QUEUE, ShareRole.ATTACH, true,
                        Duration.ofMillis(100)), this.listener))
                .withMessageContaining("may not serve (role attach)");
    }

    @Test
    void whenPeerAsksForAnotherKindThenRefusedAsMismatch() {
        open(options(ShareKind.QUEUE, ShareRole.AUTO, true));
        assertThatExceptionOfType(ShareException.class)
                .isThrownBy(() -> SharedChannel.open(options(ShareKind.BROADCAST, ShareRole.ATTACH, true,
                        Duration.ofMillis(100)), this.listener));
        assertThat(refusals(ShareErrorReason.MISMATCH)).isPositive();
    }

    @Test
    void whenGarbageArrivesThenServerRefusesEachLeaksNothingAndKeepsServing() throws Exception {
        SharedChannel server = open(options(ShareKind.BROADCAST, ShareRole.AUTO, true));
        Path socket = this.directory.resolve("run/orders.sock");
        long fdsBefore = ProcFs.openSharingFdCount();
        Random random = new Random(42);
        List<byte[]> messages = new ArrayList<>();
        // a well-formed hello that subscribes nothing but carries a descriptor (sent with the first attachment)
        messages.add(ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, EventFdMode.COUNTER, false, "orders")));
        messages.add(new byte[] { 'E', 9, 1, 0, 0, 6, 'o', 'r', 'd', 'e', 'r', 's' });
        messages.add(ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, EventFdMode.COUNTER, false, "other")));
        messages.add("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        messages.add(new byte[] { 'E', 1, 2, 0, 1, (byte) 200, 'x' });
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[1 + random.nextInt(64)];
            random.nextBytes(noise);
            if (random.nextBoolean()) {
                noise[0] = 'E';
            }
            if (noise.length > 1 && random.nextBoolean()) {
                noise[1] = 1;
            }
            messages.add(noise);
        }
        int pipeAndFile = 0;
        for (byte[] message : messages) {
            try (UnixSocket client = UnixSocket.connect(socket)) {
                // every third message carries a descriptor that is not an eventfd: an epoll instance
                int attached = (pipeAndFile++ % 3 == 0) ? Posix.epollCreate() : -1;
                client.send(message, (attached >= 0) ? new int[] { attached } : new int[0]);
                UnixSocket.Received reply = client.receive();
                if (attached >= 0) {
                    Posix.closeQuietly(attached);
                }
                assertThat(reply).isNotNull();
                reply.closeFds();
                if (!reply.endOfStream()) {
                    assertThat(ShareProtocol.parseReply(reply.payload()).status()).isNotEqualTo(ShareProtocol.Status.OK);
                    assertThat(reply.fds()).isEmpty();
                }
            }
        }
        byte[] subscribe = ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, EventFdMode.COUNTER, true,
                "orders"));
        try (UnixSocket client = UnixSocket.connect(socket); UnixSocket notAnEventFd = UnixSocket.connect(socket)) {
            int fd = notAnEventFd.acquire();
            try {
                client.send(subscribe, new int[] { fd });
            }
            finally {
                notAnEventFd.release();
            }
            UnixSocket.Received reply = client.receive();
            assertThat(ShareProtocol.parseReply(reply.payload()).status()).isEqualTo(ShareProtocol.Status.NOT_EVENTFD);
            assertThat(reply.fds()).isEmpty();
        }
        await().until(() -> ProcFs.openSharingFdCount() == fdsBefore);
        // the server counts a refusal just after sending it
        await().until(() -> refusals(ShareErrorReason.NOT_EVENTFD) == 1);
        assertThat(refusals(ShareErrorReason.BAD_VERSION)).isPositive();
        assertThat(refusals(ShareErrorReason.UNKNOWN_CHANNEL)).isPositive();
        assertThat(refusals(ShareErrorReason.MALFORMED)).isPositive();
        assertThat(refusals(ShareErrorReason.NOT_EVENTFD)).isEqualTo(1);
        assertThat(refusals(ShareErrorReason.FD_COUNT)).isPositive();
        SharedChannel subscriber = open(options(ShareKind.BROADCAST, ShareRole.ATTACH, true));
        server.signal(2);
        await().until(() -> subscriber.pendingCount() == 2 && server.pendingCount() == 2);
        assertThat(server.peers()).hasSize(1);
    }

    @Test
    void whenANewServerHandsOutAnotherEventFdThenARegistrationFollowsItAndKeepsDelivering() {
        List<Long> delivered = new CopyOnWriteArrayList<>();
        SharedChannel first = open(options(ShareKind.QUEUE, ShareRole.OWNER, true));
        SharedChannel reader = open(options(ShareKind.QUEUE, ShareRole.ATTACH, true));
        try (EventFdPoller poller = EventFdPoller.start()) {
            PollerRegistration registration = reader.register(poller, (fd, count) -> delivered.add(count));
            EventFd before = registration.eventFd();
            first.signal(1);
            await().until(() -> sum(delivered) == 1);
            first.close();
            await().until(() -> reader.state() == ShareState.RECONNECTING);
            SharedChannel second = open(options(ShareKind.QUEUE, ShareRole.OWNER, true));
            await().until(() -> reader.state() == ShareState.ATTACHED);
            second.signal(5);
            await().until(() -> sum(delivered) == 6);
            assertThat(registration.eventFd()).isNotSameAs(before);
            assertThat(registration.isActive()).isTrue();
            assertThat(before.isClosed()).isTrue();
            registration.close();
            second.signal(2);
            assertThat(registration.isActive()).isFalse();
            assertThat(reader.pendingCount()).isEqualTo(2);
            assertThat(sum(delivered)).isEqualTo(6);
        }
    }

    @Test
    void whenTheServerRefusesThenTheClientAlwaysGetsTheReasonAtOnce() {
        // the server allows only another uid: each attach is refused right after accept, its hello unread
        SharedChannel server = open(ShareOptions.builder("orders", this.directory.resolve("run/orders.sock"))
                .role(ShareRole.OWNER).allowedUids(Set.of(65534)).build());
        ShareOptions client = ShareOptions.builder("orders", this.directory.resolve("run/orders.sock"))
                .role(ShareRole.ATTACH).allowedUids(Set.of(SharedChannel.currentUid(), 65534))
                .attachTimeout(Duration.ofSeconds(30)).build();
        for (int i = 0; i < 200; i++) {
            long start = System.nanoTime();
            assertThatExceptionOfType(ShareException.class).isThrownBy(() -> SharedChannel.open(client, this.listener))
                    .withMessageContaining("is not allowed; allowed uids are [65534]")
                    .satisfies(ex -> assertThat(ex.reason()).isEqualTo(ShareErrorReason.DENIED_UID));
            // a definitive refusal ends the attach at once instead of retrying until the 30 s timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(server.state()).isEqualTo(ShareState.SERVING);
    }

    private static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void whenMessageIsLongerThanAllowedThenItIsRefusedAsMalformed() {
        open(options(ShareKind.QUEUE, ShareRole.AUTO, true));
        try (UnixSocket client = UnixSocket.connect(this.directory.resolve("run/orders.sock"))) {
            int fd = client.acquire();
            byte[] big = new byte[2048];
            big[0] = 'E';
            big[1] = 1;
            try (Memory data = new Memory(big.length)) {
                data.write(0, big, 0, big.length);
                assertThat(LibC.write(fd, Pointer.nativeValue(data), big.length)).isEqualTo(2048);
            }
            finally {
                client.release();
            }
            UnixSocket.Received reply = client.receive();
            assertThat(ShareProtocol.parseReply(reply.payload()).status()).isEqualTo(ShareProtocol.Status.MALFORMED);
        }
        await().until(() -> refusals(ShareErrorReason.MALFORMED) == 1);
    }
}
