package io.github.eventfd.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code poll(2)} fails with EINTR when a signal that has a handler reaches the waiting thread, whatever
 * {@code SA_RESTART} says. The test sends SIGPIPE with {@code tgkill(2)} to the thread while the kernel shows
 * it asleep in poll: HotSpot installs a handler for SIGPIPE that ignores it, so the signal interrupts poll
 * and does nothing else. (A signal without a handler whose default is to be ignored, such as SIGURG or
 * SIGWINCH, is dropped by the kernel and never interrupts anything.)
 */
@EnabledOnOs(OS.LINUX)
class PollInSignalTest {

    private static final boolean X86_64 = System.getProperty("os.arch").equals("amd64")
            || System.getProperty("os.arch").equals("x86_64");

    private static final long SYS_GETTID = X86_64 ? 186 : 178;

    private static final long SYS_TGKILL = X86_64 ? 234 : 131;

    /** The call the thread sleeps in: poll(2) on x86-64; glibc implements poll with ppoll(2) elsewhere. */
    private static final long SYS_POLL = X86_64 ? 7 : 73;

    private static final int SIGNAL = 13; // SIGPIPE

    @Test
    void whenSignalInterruptsPollThenItWaitsOnAndReportsTheDescriptor() throws Exception {
        int fd = Posix.eventfd(0, false);
        try {
            AtomicLong tid = new AtomicLong();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> {
                tid.set(LibC.syscall(SYS_GETTID, 0, 0, 0, 0, 0));
                started.countDown();
                return Posix.pollIn(Scratch.current(), fd, fd, 120_000);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
                interruptPoll(tid.get(), result);
                // the signal was handled while the thread slept in poll: the old code returned 0 here
                assertThat(result).isNotDone();
            }
            Posix.writeCounter(fd, Scratch.one());
            assertThat(result.get(10, TimeUnit.SECONDS)).isPositive();
        }
        finally {
            Posix.closeQuietly(fd);
        }
    }

    @Test
    void whenSignalInterruptsPollThenZeroStillMeansTheWholeTimeoutPassed() throws Exception {
        int fd = Posix.eventfd(0, false);
        try {
            AtomicLong tid = new AtomicLong();
            CountDownLatch started = new CountDownLatch(1);
            long timeoutMillis = 1_500;
            CompletableFuture<Long> elapsed = CompletableFuture.supplyAsync(() -> {
                tid.set(LibC.syscall(SYS_GETTID, 0, 0, 0, 0, 0));
                started.countDown();
                long start = System.nanoTime();
                int ready = Posix.pollIn(Scratch.current(), fd, fd, (int) timeoutMillis);
                return (ready == 0) ? System.nanoTime() - start : -1;
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            interruptPoll(tid.get(), elapsed);
            // poll(2) never times out early, and the retry waits what is left, rounded up to a millisecond
            assertThat(elapsed.get(30, TimeUnit.SECONDS))
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        }
        finally {
            Posix.closeQuietly(fd);
        }
    }

    /**
     * Wait until the kernel shows the thread asleep in poll, send the signal, and wait until it has been
     * delivered (no longer pending) and the thread sleeps in poll again, or the call has returned. That the
     * thread went to sleep once more proves the signal woke it: nothing else could.
     */
    private static void interruptPoll(long tid, Future<?> call) throws IOException {
        await().atMost(Duration.ofSeconds(10)).until(() -> sleepsInPoll(tid));
        long sleeps = status(tid, "voluntary_ctxt_switches:");
        assertThat(LibC.syscall(SYS_TGKILL, ProcessHandle.current().pid(), tid, SIGNAL, 0, 0)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> call.isDone() || (!pending(tid) && sleepsInPoll(tid)));
        if (!call.isDone()) {
            assertThat(status(tid, "voluntary_ctxt_switches:")).as("the signal woke the thread").isGreaterThan(sleeps);
        }
    }

    private static boolean sleepsInPoll(long tid) throws IOException {
        Path task = Path.of("/proc/self/task/" + tid);
        String syscall = Files.readString(task.resolve("syscall")).trim();
        String stat = Files.readString(task.resolve("stat"));
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state == 'S' && syscall.startsWith(SYS_POLL + " ");
    }

    /** Whether the signal waits to be delivered to the thread (its bit in {@code SigPnd:}). */
    private static boolean pending(long tid) throws IOException {
        return (status(tid, "SigPnd:") & (1L << (SIGNAL - 1))) != 0;
    }

    /** A number from the thread's status file: hexadecimal for the signal masks, decimal for the rest. */
    private static long status(long tid, String field) throws IOException {
        String value = Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status")).stream()
                .filter(line -> line.startsWith(field)).findFirst().orElseThrow().substring(field.length()).trim();
        return field.startsWith("Sig") ? Long.parseUnsignedLong(value, 16) : Long.parseLong(value);
    }
}
