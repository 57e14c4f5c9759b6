package io.github.eventfd.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected for real (a descriptor limit, a file planted where a socket goes, servers closed and
 * replaced while signals fly): sharing heals, and no accepted count is lost.
 */
@EnabledOnOs(OS.LINUX)
class FaultsTest extends SharingTestSupport {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private Path socket() {
        return this.directory.resolve("run/chan.sock");
    }

    private ShareOptions.Builder options(ShareKind kind, ShareRole role) {
        return ShareOptions.builder("chan", socket()).kind(kind).role(role).reconnectInterval(Duration.ofMillis(20))
                .attachTimeout(BOUND);
    }

    private SharedChannel open(ShareOptions.Builder options) {
        return closeLater(SharedChannel.open(options.build(), this.listener));
    }

    /** setrlimit(2) for this JVM, without a descriptor of its own (a child prlimit would need pipes). */
    static final class Limits {

        private static final int RLIMIT_NOFILE = 7;

        static {
            Native.register(Limits.class, "c");
        }

        private Limits() {
        }

        static native int getrlimit(int resource, long rlimit);

        static native int setrlimit(int resource, long rlimit);

        static long[] descriptors() {
            try (Memory limit = new Memory(16)) {
                assertThat(getrlimit(RLIMIT_NOFILE, Pointer.nativeValue(limit))).isZero();
                return new long[] { limit.getLong(0), limit.getLong(8) };
            }
        }

        static void descriptors(long soft, long hard) {
            try (Memory limit = new Memory(16)) {
                limit.setLong(0, soft);
                limit.setLong(8, hard);
                assertThat(setrlimit(RLIMIT_NOFILE, Pointer.nativeValue(limit))).isZero();
            }
        }
    }

    /** The lowest descriptor number this process has free: every number below it is in use. */
    private static int lowestFreeDescriptor() throws IOException {
        List<Integer> open;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            open = fds.map(fd -> Integer.parseInt(fd.getFileName().toString())).toList();
        }
        // the listing's own descriptor is free again now
        int lowest = 0;
        while (open.contains(lowest) && Files.exists(Path.of("/proc/self/fd/" + lowest))) {
            lowest++;
        }
        return lowest;
    }

    @Test
    void whenTheServerRunsOutOfDescriptorsThenItPausesAcceptingAndAPeerAttachesOnceTheyAreBack() throws Exception {
        SharedChannel server = open(options(ShareKind.QUEUE, ShareRole.OWNER));
        // a peer in another process, told to attach only once this JVM is out of descriptors
        Participant peer = closeLater(Participant.launch(List.of(TestClasspath.java(), "-XX:TieredStopAtLevel=1", "-cp",
                TestClasspath.of(LateAttacher.class, EventFd.class, Native.class), LateAttacher.class.getName(),
                socket().toString()), ProcessBuilder.Redirect.INHERIT));
        peer.expect("waiting");
        long[] limit = Limits.descriptors();
        try {
            Limits.descriptors(lowestFreeDescriptor(), limit[1]);
            peer.send("attach");
            await().atMost(BOUND).until(() -> refusals(ShareErrorReason.OUT_OF_RESOURCES) > 0);
        }
        finally {
            Limits.descriptors(limit[0], limit[1]);
        }
        assertThat(peer.expect("attached")).contains("state=ATTACHED");
        assertThat(server.state()).isEqualTo(ShareState.SERVING);
        await().atMost(BOUND).until(() -> server.peers().size() == 1);
    }

    @Test
    void whenTheSocketFileIsDeletedWhileServingThenTheServerStepsDownAndServesAgainWhereOthersFindIt()
            throws Exception {
        SharedChannel server = open(options(ShareKind.QUEUE, ShareRole.AUTO));
        server.signal(3);
        // a cleaner removes the socket file: nobody could connect to this server any more
        Files.delete(socket());
        await().atMost(BOUND).until(() -> refusals(ShareErrorReason.IO) > 0);
        await().atMost(BOUND).until(() -> server.state() == ShareState.SERVING && Files.exists(socket()));
        SharedChannel latecomer = open(options(ShareKind.QUEUE, ShareRole.ATTACH));
        assertThat(latecomer.state()).isEqualTo(ShareState.ATTACHED);
        assertThat(latecomer.tryRead()).isEqualTo(3);
        latecomer.signal(2);
        assertThat(server.tryRead()).isEqualTo(2);
    }

    @Test
    void whenServingFailsThenTheChannelReconnectsInsteadOfStoppingForGood() throws Exception {
        SharedChannel server = open(options(ShareKind.QUEUE, ShareRole.AUTO));
        // after the socket vanished, a directory stands where the next socket must be bound: serving fails
        Files.delete(socket());
        Files.createDirectory(socket());
        await().atMost(BOUND).until(() -> refusals(ShareErrorReason.IO) > 1);
        assertThat(server.state()).isEqualTo(ShareState.RECONNECTING);
        assertThat(server.reconnectingFor()).isPositive();
        Files.delete(socket());
        await().atMost(BOUND).until(() -> server.state() == ShareState.SERVING);
        SharedChannel latecomer = open(options(ShareKind.QUEUE, ShareRole.ATTACH));
        latecomer.signal(2);
        assertThat(server.tryRead()).isEqualTo(2);
    }

    @Test
    void whenABroadcastIsSignalledWhileNobodyServesThenTheCountArrivesOnceAServerIsBack() {
        SharedChannel first = open(options(ShareKind.BROADCAST, ShareRole.OWNER));
        RecordingShareListener subscriberEvents = new RecordingShareListener();
        SharedChannel subscriber = closeLater(SharedChannel.open(options(ShareKind.BROADCAST, ShareRole.ATTACH).build(),
                subscriberEvents));
        SharedChannel publisher = open(options(ShareKind.BROADCAST, ShareRole.ATTACH).consume(false));
        await().atMost(BOUND).until(() -> first.peers().size() == 2);
        first.close();
        await().atMost(BOUND).until(() -> publisher.state() == ShareState.RECONNECTING
                && subscriber.state() == ShareState.RECONNECTING);
        int resyncsBefore = subscriberEvents.resyncs().size();
        publisher.signal(5);
        SharedChannel next = open(options(ShareKind.BROADCAST, ShareRole.OWNER));
        // the count kept while nobody served reaches the new server, and every subscriber attached when it is
        // forwarded; one that attaches after it learns of it through its resync, as any re-attaching subscriber
        await().atMost(BOUND).until(() -> next.pendingCount() == 5 && subscriber.state() == ShareState.ATTACHED);
        await().atMost(BOUND).until(() -> subscriber.pendingCount() == 5
                || subscriberEvents.resyncs().size() > resyncsBefore);
        assertThat(subscriber.pendingCount()).isIn(0L, 5L);
    }

    @Test
    void whenServersAreReplacedWhileThreadsSignalThenNoSignalFailsAndEveryAcceptedCountIsDeliveredOnce()
            throws Exception {
        SharedChannel server = open(options(ShareKind.QUEUE, ShareRole.OWNER));
        SharedChannel member = open(options(ShareKind.QUEUE, ShareRole.ATTACH));
        AtomicLong delivered = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        EventFdPoller poller = closeLater(EventFdPoller.start());
        member.register(poller, (fd, count) -> delivered.addAndGet(count));
        List<Thread> signallers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        member.signal();
                        accepted.incrementAndGet();
                    }
                    catch (RuntimeException ex) {
                        failed.incrementAndGet();
                    }
                }
            }, "faults-signaller-" + t);
            thread.start();
            signallers.add(thread);
        }
        try {
            for (int round = 0; round < 10; round++) {
                // each new server hands out a fresh eventfd: the member switches while its threads signal
                server.close();
                server = open(options(ShareKind.QUEUE, ShareRole.OWNER));
                SharedChannel current = server;
                await().atMost(BOUND).until(() -> member.state() == ShareState.ATTACHED
                        && current.peers().size() == 1);
            }
        }
        finally {
            running.set(false);
            for (Thread thread : signallers) {
                thread.join();
            }
        }
        assertThat(failed.get()).isZero();
        assertThat(accepted.get()).isPositive();
        await().atMost(BOUND).until(() -> delivered.get() == accepted.get());
        assertThat(member.pendingCount()).isZero();
    }

    private Participant participant(String role) {
        return closeLater(Participant.start(List.of(), TestClasspath.of(ShareParticipant.class, EventFd.class,
                Native.class), socket(), "QUEUE", "COUNTER", role, true, "rw-------",
                Integer.toString(SharedChannel.currentUid()), 20_000));
    }

    @Test
    void whenAnotherChannelOfThisJvmOnTheSameSocketClosesThenThisOneStillExcludesEveryOtherServer() throws Exception {
        SharedChannel server = open(options(ShareKind.QUEUE, ShareRole.AUTO));
        SharedChannel neighbour = open(options(ShareKind.QUEUE, ShareRole.AUTO));
        assertThat(neighbour.state()).isEqualTo(ShareState.ATTACHED);
        // a second descriptor of the lock file in this process closes: a POSIX lock would be gone with it
        neighbour.close();
        Participant other = participant("AUTO");
        assertThat(other.expect("ready")).contains("state=ATTACHED");
        assertThat(server.state()).isEqualTo(ShareState.SERVING);
        await().atMost(BOUND).until(() -> server.peers().size() == 1);
    }

    @Test
    void whenTheLockFileIsDeletedWhileServingThenAfterAnotherProcessLocksANewOneOnlyOneServes() throws Exception {
        SharedChannel server = open(options(ShareKind.QUEUE, ShareRole.AUTO));
        // as a cleaner of old files in /tmp would
        Files.delete(this.directory.resolve("run/chan.sock.lock"));
        Participant other = participant("AUTO");
        other.expect("ready");
        // whichever locked last serves (the first server may have noticed its lock file gone and locked a new
        // one before the other process started): exactly one serves, the other attaches to it
        await().atMost(BOUND).until(() -> {
            String state = Participant.fields(other.ask("report", "report")).get("state");
            return (server.state() == ShareState.ATTACHED && "SERVING".equals(state))
                    || (server.state() == ShareState.SERVING && "ATTACHED".equals(state));
        });
        for (int check = 0; check < 3; check++) {
            Thread.sleep(ShareServer.OWNERSHIP_CHECK_NANOS / 1_000_000);
            String state = Participant.fields(other.ask("report", "report")).get("state");
            assertThat(server.state() == ShareState.SERVING).as("only one serves").isNotEqualTo("SERVING".equals(state));
        }
        server.signal(3);
        await().atMost(BOUND).until(() -> Participant.fields(other.ask("report", "report")).get("consumed").equals("3"));
    }
}
