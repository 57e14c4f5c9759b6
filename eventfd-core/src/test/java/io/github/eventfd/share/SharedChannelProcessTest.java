package io.github.eventfd.share;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.eventfd.EventFd;
import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared channels between separate JVMs, started with ProcessBuilder. */
@EnabledOnOs(OS.LINUX)
class SharedChannelProcessTest {

    @TempDir
    Path directory;

    private final List<Participant> participants = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        this.participants.forEach(Participant::close);
    }

    private static String classpath() {
        return TestClasspath.of(ShareParticipant.class, EventFd.class, Native.class);
    }

    private Participant start(String kind, String role, boolean consume) {
        Participant participant = Participant.start(List.of(), classpath(), this.directory.resolve("chan.sock"), kind,
                "COUNTER", role, consume, "rw-------", Integer.toString(SharedChannel.currentUid()), 10_000);
        this.participants.add(participant);
        return participant;
    }

    private static long number(Map<String, String> report, String field) {
        return Long.parseLong(report.get(field));
    }

    @Test
    void whenThreeProcessesShareAQueueThenEverySignalIsConsumedExactlyOnce() throws Exception {
        List<Participant> three = List.of(start("QUEUE", "AUTO", true), start("QUEUE", "AUTO", true),
                start("QUEUE", "AUTO", true));
        for (Participant participant : three) {
            participant.expect("ready");
        }
        for (Participant participant : three) {
            participant.send("signal 20000");
        }
        for (Participant participant : three) {
            participant.expect("signalled");
        }
        long consumed = 0;
        Map<String, String> last = null;
        for (Participant participant : three) {
            last = participant.stop();
            consumed += number(last, "consumed");
        }
        assertThat(consumed + number(last, "pending")).isEqualTo(60_000);
        assertThat(consumed).isPositive();
    }

    @Test
    void whenBroadcastThenEachOfThreeSubscribersSeesEverySignal() throws Exception {
        Participant publisher = start("BROADCAST", "AUTO", false);
        assertThat(publisher.expect("ready")).contains("state=SERVING");
        List<Participant> subscribers = List.of(start("BROADCAST", "AUTO", true), start("BROADCAST", "AUTO", true),
                start("BROADCAST", "AUTO", true));
        for (Participant subscriber : subscribers) {
            assertThat(subscriber.expect("ready")).contains("state=ATTACHED");
        }
        // a subscriber is attached once it has the server's reply; the server counts it just after sending it
        await().atMost(Duration.ofSeconds(20)).until(() -> number(publisher.report(), "peers") == 3);
        publisher.send("signal 5000");
        publisher.expect("signalled");
        subscribers.get(0).send("signal 7");
        subscribers.get(0).expect("signalled");
        for (Participant subscriber : subscribers) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Map<String, String> report = subscriber.report();
            while (number(report, "consumed") < 5007 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                report = subscriber.report();
            }
            assertThat(number(report, "consumed")).isEqualTo(5007);
        }
    }

    @Test
    void whenServingProcessIsKilledThenOthersTakeOverAndTheCountSurvives() throws Exception {
        Participant first = start("QUEUE", "AUTO", false);
        assertThat(first.expect("ready")).contains("state=SERVING");
        Participant second = start("QUEUE", "AUTO", false);
        Participant third = start("QUEUE", "AUTO", false);
        assertThat(second.expect("ready")).contains("state=ATTACHED");
        assertThat(third.expect("ready")).contains("state=ATTACHED");
        for (Participant participant : List.of(first, second, third)) {
            participant.send("signal 100");
            participant.expect("signalled");
        }
        first.killHard();
        second.send("signal 100");
        second.expect("signalled");
        third.send("signal 100");
        third.expect("signalled");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(second.report().get("state").equals("SERVING") || third.report().get("state").equals("SERVING"))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        Participant restarted = start("QUEUE", "AUTO", false);
        assertThat(restarted.expect("ready")).contains("state=ATTACHED");
        restarted.send("signal 100");
        restarted.expect("signalled");
        Map<String, String> report = restarted.report();
        assertThat(number(report, "pending")).isEqualTo(600);
        assertThat(number(report, "resyncs")).isEqualTo(1);
        assertThat(number(second.report(), "resyncs") + number(third.report(), "resyncs")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void whenPeerRunsAsAnotherUidThenItIsRefused() throws Exception {
        assumeTrue(SharedChannel.currentUid() == 0, "needs root to start a process as another uid");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        Path shared = Files.createTempDirectory("eventfd-uid");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        String readable = TestClasspath.copyForAnyone(classpath(), shared);
        // a socket directory nobody else may write to: root's, searchable by all
        Path socket = Files.createDirectory(shared.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x"))).resolve("chan.sock");
        Participant server = Participant.start(List.of(), classpath(), socket, "QUEUE", "COUNTER", "OWNER", true,
                "rw-rw-rw-", "0", 10_000);
        this.participants.add(server);
        assertThat(server.expect("ready")).contains("state=SERVING");
        Participant nobody = Participant.start(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                readable, socket, "QUEUE", "COUNTER", "ATTACH", true, "rw-rw-rw-", "0,65534", 1_000);
        this.participants.add(nobody);
        assertThat(nobody.expect("failed")).contains("uid 65534").contains("is not allowed; allowed uids are [0]");
        assertThat(nobody.waitFor(Duration.ofSeconds(20))).isEqualTo(3);
        assertThat(number(server.report(), "peers")).isZero();
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-rw-rw-"));
    }
}
