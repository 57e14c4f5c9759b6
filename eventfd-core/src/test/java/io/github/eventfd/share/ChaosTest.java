package io.github.eventfd.share;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.EventFd;
import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four JVMs share a queue and a broadcast channel and signal at a steady rate while the test kills one of
 * them with SIGKILL every few seconds and restarts it. Bounded: {@code chaos.seconds} (default 30) of
 * chaos, then an accounting of every unit from the processes' own logs.
 */
@EnabledOnOs(OS.LINUX)
class ChaosTest {

    private static final int PROCESSES = 4;

    @TempDir
    Path directory;

    private final List<Participant> members = new ArrayList<>();

    @AfterEach
    void killAll() {
        this.members.forEach(Participant::close);
    }

    private Participant start(int incarnation) {
        String classpath = TestClasspath.of(ChaosParticipant.class, EventFd.class, Native.class);
        return Participant.launch(List.of(TestClasspath.java(), "-XX:TieredStopAtLevel=1", "-cp", classpath,
                ChaosParticipant.class.getName(), this.directory.resolve("queue.sock").toString(),
                this.directory.resolve("broadcast.sock").toString(), this.directory.resolve("log-" + incarnation).toString()),
                ProcessBuilder.Redirect.DISCARD);
    }

    private static long field(String report, String name) {
        return Long.parseLong(Participant.fields(report).get(name));
    }

    @Test
    void whenProcessesAreKilledAndRestartedThenEveryQueueUnitIsAccountedForAndBroadcastsReachEveryone()
            throws Exception {
        long seconds = Long.getLong("chaos.seconds", 30);
        Random random = new Random(Long.getLong("chaos.seed", System.nanoTime()));
        int incarnations = 0;
        for (int i = 0; i < PROCESSES; i++) {
            this.members.add(start(incarnations++));
        }
        for (Participant member : this.members) {
            member.expect("ready");
        }
        int kills = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(1500 + random.nextInt(2000));
            int victim = random.nextInt(PROCESSES);
            this.members.get(victim).killHard();
            kills++;
            Participant restarted = start(incarnations++);
            this.members.set(victim, restarted);
            restarted.expect("ready");
        }
        for (Participant member : this.members) {
            member.ask("quiet", "quiet");
        }
        // let the consumers drain the queue
        long pending = Long.MAX_VALUE;
        for (int i = 0; i < 100 && pending != 0; i++) {
            Thread.sleep(100);
            pending = field(this.members.get(0).ask("report", "report"), "pendingQueue");
        }
        Map<String, Long> totals = totals(incarnations);
        long signalled = totals.getOrDefault("sq", 0L);
        long consumed = totals.getOrDefault("cq", 0L);
        long lost = signalled - consumed - pending;
        System.out.printf("chaos: %d s, %d kills, queue units signalled %d, consumed %d, pending %d, lost with killed "
                + "readers %d%n", seconds, kills, signalled, consumed, pending, lost);
        assertThat(kills).isPositive();
        assertThat(signalled).isGreaterThan(1000);
        assertThat(totals.getOrDefault("xs", 0L)).as("signals that threw while servers were killed").isZero();
        // a killed process may have logged a unit it had not yet signalled, or read one it had not yet logged
        assertThat(lost).isBetween(0L, 2L * kills);

        long[] before = new long[PROCESSES];
        for (int i = 0; i < PROCESSES; i++) {
            before[i] = field(this.members.get(i).ask("report", "report"), "broadcastReceived");
        }
        int burst = 25;
        for (Participant member : this.members) {
            member.ask("burst " + burst, "burst-done");
        }
        for (int i = 0; i < PROCESSES; i++) {
            Participant member = this.members.get(i);
            long expected = before[i] + (long) burst * PROCESSES;
            long received = 0;
            for (int attempt = 0; attempt < 200 && received != expected; attempt++) {
                Thread.sleep(50);
                received = field(member.ask("report", "report"), "broadcastReceived");
            }
            assertThat(received).as("broadcast seen by member %d", i).isEqualTo(expected);
        }
    }

    private Map<String, Long> totals(int incarnations) {
        Map<String, Long> totals = new HashMap<>();
        for (int i = 0; i < incarnations; i++) {
            try {
                for (String line : Files.readAllLines(this.directory.resolve("log-" + i))) {
                    String[] words = line.split(" ");
                    if (words.length == 2) {
                        totals.merge(words[0], Long.parseLong(words[1]), Long::sum);
                    }
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return totals;
    }
}
