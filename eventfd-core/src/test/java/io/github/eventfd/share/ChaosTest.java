package io.github.eventfd.share;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.eventfd.ChaosParticipant;
import io.github.eventfd.EventFd;
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

    private final List<Member> members = new ArrayList<>();

    @AfterEach
    void killAll() {
        this.members.forEach(member -> member.process.destroyForcibly());
    }

    /** A running participant. */
    private static final class Member {

        final Process process;

        final PrintWriter input;

        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Member(Process process) {
            this.process = process;
            this.input = new PrintWriter(process.getOutputStream(), true);
            Thread reader = new Thread(() -> {
                try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                    String line;
                    while ((line = output.readLine()) != null) {
                        this.lines.add(line);
                    }
                }
                catch (IOException ignored) {
                    // ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String ask(String command, String answer) throws InterruptedException {
            this.input.println(command);
            return expect(answer);
        }

        String expect(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (;;) {
                String line = this.lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no '" + prefix + "' within 30s");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        long field(String report, String name) {
            return Long.parseLong(Participant.fields(report).get(name));
        }
    }

    private Member start(int incarnation) throws IOException {
        String classpath = Stream.of(ChaosParticipant.class, EventFd.class, com.sun.jna.Native.class).map(type -> {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            }
            catch (URISyntaxException ex) {
                throw new IllegalStateException(ex);
            }
        }).distinct().collect(Collectors.joining(java.io.File.pathSeparator));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, ChaosParticipant.class.getName(),
                this.directory.resolve("queue.sock").toString(), this.directory.resolve("broadcast.sock").toString(),
                this.directory.resolve("log-" + incarnation).toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new Member(process);
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
        for (Member member : this.members) {
            member.expect("ready");
        }
        int kills = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(1500 + random.nextInt(2000));
            int victim = random.nextInt(PROCESSES);
            Member killed = this.members.get(victim);
            killed.process.destroyForcibly();
            killed.process.waitFor(10, TimeUnit.SECONDS);
            kills++;
            Member restarted = start(incarnations++);
            this.members.set(victim, restarted);
            restarted.expect("ready");
        }
        for (Member member : this.members) {
            member.ask("quiet", "quiet");
        }
        // let the consumers drain the queue
        long pending = Long.MAX_VALUE;
        for (int i = 0; i < 100 && pending != 0; i++) {
            Thread.sleep(100);
            pending = this.members.get(0).field(this.members.get(0).ask("report", "report"), "pendingQueue");
        }
        Map<String, Long> totals = totals(incarnations);
        long signalled = totals.getOrDefault("sq", 0L);
        long consumed = totals.getOrDefault("cq", 0L);
        long lost = signalled - consumed - pending;
        System.out.printf("chaos: %d s, %d kills, queue units signalled %d, consumed %d, pending %d, lost with killed "
                + "readers %d%n", seconds, kills, signalled, consumed, pending, lost);
        assertThat(kills).isPositive();
        assertThat(signalled).isGreaterThan(1000);
        // a killed process may have logged a unit it had not yet signalled, or read one it had not yet logged
        assertThat(lost).isBetween(0L, 2L * kills);

        long[] before = new long[PROCESSES];
        for (int i = 0; i < PROCESSES; i++) {
            before[i] = this.members.get(i).field(this.members.get(i).ask("report", "report"), "broadcastReceived");
        }
        int burst = 25;
        for (Member member : this.members) {
            member.ask("burst " + burst, "burst-done");
        }
        for (int i = 0; i < PROCESSES; i++) {
            Member member = this.members.get(i);
            long expected = before[i] + (long) burst * PROCESSES;
            long received = 0;
            for (int attempt = 0; attempt < 200 && received != expected; attempt++) {
                Thread.sleep(50);
                received = member.field(member.ask("report", "report"), "broadcastReceived");
            }
            assertThat(received).as("broadcast seen by member %d", i).isEqualTo(expected);
        }
    }

    private Map<String, Long> totals(int incarnations) {
        Map<String, Long> totals = new java.util.HashMap<>();
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
