package io.github.eventfd.share;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.sun.jna.Native;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.TestClasspath;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import io.github.eventfd.internal.UnixSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every descriptor a peer sends has one owner in the server, from {@code recvmsg} to its single close. A
 * second close of a number does not always show: it fails with {@code EBADF} when nothing took the number
 * meanwhile, and closes another file of the process when something did. So the serving process runs under
 * {@code strace}, which records every {@code close} that failed: a hostile peer sends hundreds of hellos with
 * descriptors the server must refuse (a pipe, a FIFO, a regular file, an epoll instance, a socket, an eventfd
 * in the wrong mode) or may take (a blocking eventfd, dropped when the peer leaves), and not one close may fail.
 * The serving process then closes a number twice on purpose: that one failed close, and no other, must be on
 * record, which shows that the record would have caught the others.
 */
@EnabledOnOs(OS.LINUX)
class RefusedDescriptorCloseTest {

    private static final int ROUNDS = 50;

    private static final Pattern FAILED_CLOSE = Pattern.compile("^close\\((\\d+)\\)\\s*= -1 (\\w+)");

    @TempDir
    Path directory;

    @Test
    void whenHellosCarryBadDescriptorsThenTheServerClosesEachExactlyOnce() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "needs strace");
        Path socket = this.directory.resolve("chan.sock");
        Path trace = Files.createDirectory(this.directory.resolve("trace"));
        Path fifo = this.directory.resolve("fifo");
        Path file = Files.writeString(this.directory.resolve("file"), "not an eventfd");
        assertThat(C.mkfifo(fifo.toString(), 0600)).isZero();
        // -ff: one file per thread, so that no call is split by another thread's
        List<String> strace = List.of("strace", "-ff", "-qq", "--seccomp-bpf", "-e", "signal=none", "-e", "trace=close",
                "-e", "status=failed", "-o", trace.resolve("t").toString());
        List<String> statuses = new ArrayList<>();
        String control;
        try (Participant server = Participant.start(strace, TestClasspath.of(ShareParticipant.class, EventFd.class,
                Native.class), socket, "BROADCAST", "COUNTER", "OWNER", false, "rw-------",
                Integer.toString(SharedChannel.currentUid()), 10_000)) {
            assertThat(server.expect("ready")).contains("state=SERVING");
            List<IntSupplier> kinds = List.of(
                    () -> pipe()[0],
                    () -> pipe()[1],
                    () -> C.open(fifo.toString(), Linux.O_RDWR | Linux.O_NONBLOCK | Linux.O_CLOEXEC, 0),
                    () -> C.open(file.toString(), Linux.O_CLOEXEC, 0),
                    Posix::epollCreate,
                    RefusedDescriptorCloseTest::unixSocket,
                    () -> Posix.eventfd(0, true),
                    () -> blocking(Posix.eventfd(0, false)));
            for (int round = 0; round < ROUNDS; round++) {
                for (IntSupplier kind : kinds) {
                    statuses.add(hello(socket, kind.getAsInt()));
                }
            }
            control = server.ask("close-twice", "closed-twice");
            server.stop();
        }
        int deliberate = Integer.parseInt(control.split(" ")[1]);
        assertThat(failedCloses(trace)).as("close(2) calls of the serving process that failed")
                .containsExactly("close(" + deliberate + ") EBADF");
        // every hello was answered: refused, but for the blocking eventfd (its flag is no basis for admission)
        assertThat(statuses).hasSize(ROUNDS * 8).filteredOn(status -> !status.equals("OK")).hasSize(ROUNDS * 7);
    }

    /** Send one subscribing hello with {@code bad} (closed here afterwards) and return the server's status. */
    private static String hello(Path socket, int bad) {
        try (UnixSocket client = UnixSocket.connect(socket)) {
            client.send(ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, EventFdMode.COUNTER, true,
                    "chan")), new int[] { bad });
            int fd = client.acquire();
            try {
                assertThat(Posix.pollIn(Scratch.current(), fd, fd, 10_000)).isPositive();
            }
            finally {
                client.release();
            }
            UnixSocket.Received reply = client.receive();
            assertThat(reply).isNotNull();
            reply.closeFds();
            return ShareProtocol.parseReply(reply.payload()).status().name();
        }
        finally {
            Posix.closeQuietly(bad);
        }
    }

    private static List<String> failedCloses(Path trace) throws IOException {
        List<String> failed = new ArrayList<>();
        try (Stream<Path> files = Files.list(trace)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher matcher = FAILED_CLOSE.matcher(line);
                    if (matcher.find()) {
                        failed.add("close(" + matcher.group(1) + ") " + matcher.group(2));
                    }
                }
            }
        }
        return failed;
    }

    private static int[] pipe() {
        int[] ends = new int[2];
        assertThat(C.pipe2(ends, Linux.O_CLOEXEC)).isZero();
        return ends;
    }

    /** A socket: a descriptor of a kind the protocol never passes. */
    private static int unixSocket() {
        int fd = LibC.socket(Linux.AF_UNIX, Linux.SOCK_SEQPACKET | Linux.SOCK_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        return fd;
    }

    private static int blocking(int eventFd) {
        int flags = LibC.fcntl(eventFd, Linux.F_GETFL, 0);
        assertThat(LibC.fcntl(eventFd, Linux.F_SETFL, flags & ~Linux.O_NONBLOCK)).isZero();
        return eventFd;
    }

    /** The C calls this test needs that the library does not make. */
    static final class C {

        static {
            Native.register(C.class, "c");
        }

        private C() {
        }

        static native int pipe2(int[] fds, int flags);

        static native int mkfifo(String path, int mode);

        static native int open(String path, int flags, int mode);
    }
}
