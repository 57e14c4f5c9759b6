package io.github.eventfd.share;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Native;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.ProcFs;
import io.github.eventfd.TestClasspath;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.UnixSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * A peer of an allowed uid that speaks the protocol but means harm: it flips the flags of the descriptors
 * it shares, fills counters, sends descriptors that are not what the protocol asks for, and holds
 * connections open without a hello. Every other participant must go on signalling and delivering.
 */
@EnabledOnOs(OS.LINUX)
class HostilePeerTest extends SharingTestSupport {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private Path socket() {
        return this.directory.resolve("chan.sock");
    }

    private SharedChannel open(ShareKind kind, ShareRole role) {
        return open(kind, role, EventFdMode.COUNTER);
    }

    private SharedChannel open(ShareKind kind, ShareRole role, EventFdMode mode) {
        return closeLater(SharedChannel.open(ShareOptions.builder("chan", socket()).kind(kind).mode(mode).role(role)
                .reconnectInterval(Duration.ofMillis(20)).attachTimeout(BOUND).build(), this.listener));
    }

    /** Attach by hand, as a hostile program would: the server's reply and the descriptor it handed out. */
    private OwnedFd attachByHand(ShareKind kind, int subscribedFd) {
        return attachByHand(kind, EventFdMode.COUNTER, subscribedFd);
    }

    private OwnedFd attachByHand(ShareKind kind, EventFdMode mode, int subscribedFd) {
        UnixSocket client = closeLater(UnixSocket.connect(socket()));
        byte[] hello = ShareProtocol.hello(new ShareProtocol.Hello(kind, mode, subscribedFd >= 0, "chan"));
        client.send(hello, (subscribedFd >= 0) ? new int[] { subscribedFd } : new int[0]);
        UnixSocket.Received reply = receive(client);
        assertThat(ShareProtocol.parseReply(reply.payload()).status()).isEqualTo(ShareProtocol.Status.OK);
        assertThat(reply.fds()).hasSize(1);
        OwnedFd handed = reply.fds().get(0);
        closeLater(handed::close);
        return handed;
    }

    private static UnixSocket.Received receive(UnixSocket client) {
        int fd = client.acquire();
        try {
            Posix.pollIn(io.github.eventfd.internal.Scratch.current(), fd, fd, (int) BOUND.toMillis());
        }
        finally {
            client.release();
        }
        UnixSocket.Received reply = client.receive();
        assertThat(reply).isNotNull();
        return reply;
    }

    private static void makeBlocking(int fd) {
        int flags = LibC.fcntl(fd, Linux.F_GETFL, 0);
        assertThat(LibC.fcntl(fd, Linux.F_SETFL, flags & ~Linux.EFD_NONBLOCK)).isZero();
    }

    @Test
    void whenAPeerMakesTheSharedQueueBlockingThenReadsNeverWaitAndNewcomersStillAttach() {
        SharedChannel server = open(ShareKind.QUEUE, ShareRole.OWNER);
        SharedChannel consumer = open(ShareKind.QUEUE, ShareRole.ATTACH);
        OwnedFd queue = attachByHand(ShareKind.QUEUE, -1);
        makeBlocking(queue.number());
        // an empty queue: a read that waited here would never return
        assertTimeoutPreemptively(BOUND, () -> {
            assertThat(server.tryRead()).isZero();
            assertThat(consumer.tryRead()).isZero();
            assertThat(consumer.read(Duration.ofMillis(50))).isZero();
        });
        AtomicLong delivered = new AtomicLong();
        try (EventFdPoller poller = EventFdPoller.start(); EventFdPoller rival = EventFdPoller.start()) {
            // two consumers compete: the loser of each unit finds the counter empty, and must not wait
            consumer.register(poller, (fd, count) -> delivered.addAndGet(count));
            server.register(rival, (fd, count) -> delivered.addAndGet(count));
            for (int i = 0; i < 200; i++) {
                server.signal();
                consumer.signal();
            }
            await().atMost(BOUND).until(() -> delivered.get() == 400);
            SharedChannel newcomer = open(ShareKind.QUEUE, ShareRole.ATTACH);
            assertThat(newcomer.state()).isEqualTo(ShareState.ATTACHED);
            newcomer.signal(7);
            await().atMost(BOUND).until(() -> delivered.get() == 407);
        }
    }

    @Test
    void whenASubscriberFillsItsCounterAndMakesItBlockingThenSignalReturnsOthersDeliverAndItIsDropped() {
        SharedChannel server = open(ShareKind.BROADCAST, ShareRole.OWNER);
        SharedChannel subscriber = open(ShareKind.BROADCAST, ShareRole.ATTACH);
        await().atMost(BOUND).until(() -> server.peers().size() == 1);
        EventFd hostile = closeLater(EventFd.create());
        attachByHand(ShareKind.BROADCAST, hostile.descriptorNumber());
        await().atMost(BOUND).until(() -> server.peers().size() == 2);
        hostile.signalUnsigned(EventFd.MAX_COUNT);
        makeBlocking(hostile.descriptorNumber());
        assertTimeoutPreemptively(BOUND, () -> {
            server.signal(3);
            subscriber.signal(4);
        });
        await().atMost(BOUND).until(() -> subscriber.pendingCount() == 7 && server.pendingCount() == 7);
        await().atMost(BOUND).until(() -> refusals(ShareErrorReason.STALLED) == 1);
        await().atMost(BOUND).until(() -> server.peers().size() == 1);
        SharedChannel newcomer = open(ShareKind.BROADCAST, ShareRole.ATTACH);
        await().atMost(BOUND).until(() -> server.peers().size() == 2);
        server.signal(5);
        await().atMost(BOUND).until(() -> newcomer.pendingCount() == 5 && subscriber.pendingCount() == 12);
    }

    /**
     * In semaphore mode a read takes one unit off a counter, so a full subscriber counter that was made
     * blocking holds a write of {@code n} until {@code n} units have been read: no watchdog drains that
     * within any bound. The other subscribers must not wait for it.
     */
    @Test
    void whenASemaphoreSubscriberIsFullAndBlockingThenALargeCountReachesTheOthersAndItIsDropped() {
        SharedChannel server = open(ShareKind.BROADCAST, ShareRole.OWNER, EventFdMode.SEMAPHORE);
        EventFd hostile = closeLater(EventFd.create(EventFdMode.SEMAPHORE, 0));
        // attached first, so that a round of writes meets it before the others
        attachByHand(ShareKind.BROADCAST, EventFdMode.SEMAPHORE, hostile.descriptorNumber());
        await().atMost(BOUND).until(() -> server.peers().size() == 1);
        SharedChannel subscriber = open(ShareKind.BROADCAST, ShareRole.ATTACH, EventFdMode.SEMAPHORE);
        await().atMost(BOUND).until(() -> server.peers().size() == 2);
        hostile.signalUnsigned(EventFd.MAX_COUNT);
        makeBlocking(hostile.descriptorNumber());
        // a watchdog reading one unit every 50 µs would need 15 s to free a write of it
        long large = 300_000;
        assertTimeoutPreemptively(BOUND, () -> server.signal(large));
        await().atMost(BOUND).until(() -> subscriber.pendingCount() == large);
        await().atMost(BOUND).until(() -> refusals(ShareErrorReason.STALLED) == 1 && server.peers().size() == 1);
        SharedChannel newcomer = open(ShareKind.BROADCAST, ShareRole.ATTACH, EventFdMode.SEMAPHORE);
        await().atMost(BOUND).until(() -> server.peers().size() == 2);
        server.signal(5);
        await().atMost(BOUND).until(() -> newcomer.pendingCount() == 5 && subscriber.pendingCount() == large + 5);
        assertThat(refusals(ShareErrorReason.STALLED)).isEqualTo(1);
        assertTimeoutPreemptively(BOUND, server::close);
        // the write left waiting returns once the counter has room (about 300,000 reads here); its thread then ends
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < 50_000; i++) {
                hostile.tryRead();
            }
            return fanOutWriters() == 0;
        });
    }

    /**
     * A write left waiting on a dropped subscriber holds a thread and a descriptor until the counter has room:
     * it keeps its uid's slot meanwhile, so that a peer cannot leave more of them than it may attach peers.
     */
    @Test
    void whenWritesAreLeftWaitingOnDroppedSubscribersThenTheyTakeTheirUidsSlotsUntilTheyReturn() {
        // 128 allowed uids share a peer limit of 256: 2 slots each
        Set<Integer> uids = new HashSet<>();
        uids.add(SharedChannel.currentUid());
        for (int uid = 100_000; uids.size() < 128; uid++) {
            uids.add(uid);
        }
        SharedChannel server = closeLater(SharedChannel.open(ShareOptions.builder("chan", socket())
                .kind(ShareKind.BROADCAST).mode(EventFdMode.SEMAPHORE).role(ShareRole.OWNER).allowedUids(uids)
                .maxPeers(256).build(), this.listener));
        List<EventFd> hostile = List.of(closeLater(EventFd.create(EventFdMode.SEMAPHORE, 0)),
                closeLater(EventFd.create(EventFdMode.SEMAPHORE, 0)));
        for (EventFd eventFd : hostile) {
            attachByHand(ShareKind.BROADCAST, EventFdMode.SEMAPHORE, eventFd.descriptorNumber());
            eventFd.signalUnsigned(EventFd.MAX_COUNT);
            makeBlocking(eventFd.descriptorNumber());
        }
        await().atMost(BOUND).until(() -> server.peers().size() == 2);
        // a write of 1,000 waits for 1,000 reads of a full semaphore counter
        server.signal(1_000);
        await().atMost(BOUND).until(() -> refusals(ShareErrorReason.STALLED) == 2 && server.peers().isEmpty());
        ShareProtocol.Reply refused = attachWithoutSubscribing(EventFdMode.SEMAPHORE);
        assertThat(refused.status()).isEqualTo(ShareProtocol.Status.BUSY);
        assertThat(refused.reason()).contains("already has 2 peers");
        // the peer reads its counters: the writes return, their threads end, and the slots are free again
        for (EventFd eventFd : hostile) {
            for (int i = 0; i < 1_000; i++) {
                eventFd.tryRead();
            }
        }
        await().atMost(BOUND).until(() -> fanOutWriters() == 1);
        await().atMost(BOUND).until(() -> attachWithoutSubscribing(EventFdMode.SEMAPHORE).status() == ShareProtocol.Status.OK);
    }

    private ShareProtocol.Reply attachWithoutSubscribing(EventFdMode mode) {
        UnixSocket client = closeLater(UnixSocket.connect(socket()));
        client.send(ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, mode, false, "chan")), new int[0]);
        UnixSocket.Received reply = receive(client);
        reply.closeFds();
        return ShareProtocol.parseReply(reply.payload());
    }

    private static long fanOutWriters() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("eventfd-share-chan-fan-out")).count();
    }

    @Test
    void whenThousandsOfBadDescriptorsArriveThenEachIsClosedOnceAndNoOtherFileIsHit() throws Exception {
        SharedChannel server = open(ShareKind.BROADCAST, ShareRole.OWNER);
        // the descriptors that arrive are eventfds and epoll instances (the JVM's own sockets and pipes for the
        // child process come and go on their own)
        long before = ProcFs.openFdCount();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ioErrors = new AtomicLong();
        AtomicLong ioRounds = new AtomicLong();
        // threads that keep opening files take the lowest free numbers: a second close of a number the server
        // already closed hits one of their files, and their next read or write fails
        List<Thread> busy = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Path file = this.directory.resolve("busy-" + t + ".dat");
            Thread thread = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(64);
                while (running.get()) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                        buffer.clear();
                        channel.write(buffer, 0);
                        buffer.clear();
                        channel.read(buffer, 0);
                        ioRounds.incrementAndGet();
                    }
                    catch (IOException ex) {
                        ioErrors.incrementAndGet();
                    }
                }
            }, "hostile-test-file-io-" + t);
            thread.start();
            busy.add(thread);
        }
        // the hostile peer is another process, as it would be: every descriptor number the server frees is
        // free for this JVM's own files at once
        try (Participant hostile = Participant.launch(List.of(TestClasspath.java(), "-XX:TieredStopAtLevel=1", "-cp",
                TestClasspath.of(HostileClient.class, EventFd.class, Native.class), HostileClient.class.getName(),
                socket().toString(), "3000"), ProcessBuilder.Redirect.INHERIT)) {
            assertThat(hostile.expect("done")).isEqualTo("done 3000");
        }
        finally {
            running.set(false);
            for (Thread thread : busy) {
                thread.join();
            }
        }
        assertThat(ioRounds.get()).isPositive();
        assertThat(ioErrors.get()).isZero();
        await().atMost(BOUND).until(() -> ProcFs.openFdCount() == before);
        assertThat(server.peers()).isEmpty();
        // the server reports a refusal after it replied: the client's last reply can come before its report
        await().atMost(BOUND).until(() -> refusals(ShareErrorReason.NOT_EVENTFD) + refusals(ShareErrorReason.MISMATCH)
                >= 3000);
        assertThat(refusals(ShareErrorReason.NOT_EVENTFD) + refusals(ShareErrorReason.MISMATCH)).isEqualTo(3000);
    }

    @Test
    void whenAPeerHoldsManyConnectionsWithoutHelloThenOthersStillAttachAndTheIdleOnesAreClosed() {
        SharedChannel server = open(ShareKind.BROADCAST, ShareRole.OWNER);
        SharedChannel subscriber = open(ShareKind.BROADCAST, ShareRole.ATTACH);
        List<UnixSocket> idle = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            idle.add(closeLater(UnixSocket.connect(socket())));
        }
        // signals keep flowing while the flood is served
        server.signal(2);
        await().atMost(BOUND).until(() -> subscriber.pendingCount() == 2);
        // refused as busy while 16 of the idle connections are pending: it gets in once their 2 s hello
        // deadline has passed and the server has closed them, which a busy machine can make take longer
        SharedChannel latecomer = closeLater(SharedChannel.open(ShareOptions.builder("chan", socket())
                .kind(ShareKind.BROADCAST).role(ShareRole.ATTACH).reconnectInterval(Duration.ofMillis(20))
                .attachTimeout(Duration.ofSeconds(60)).build(), this.listener));
        assertThat(latecomer.state()).isEqualTo(ShareState.ATTACHED);
        assertThat(refusals(ShareErrorReason.TOO_MANY_PEERS)).isPositive();
        await().atMost(BOUND).until(() -> refusals(ShareErrorReason.HELLO_TIMEOUT) > 0);
        assertThat(server.peers()).hasSize(2);
        idle.forEach(UnixSocket::close);
    }
}
