package io.github.eventfd.share;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.sun.jna.Native;
import io.github.eventfd.EventFd;
import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Attacks through the file system on a shared channel's socket directory, lock file and socket file: each is
 * refused with its reason, and nothing is created or changed outside the socket directory.
 */
@EnabledOnOs(OS.LINUX)
class ShareFilesAttackTest {

    private static final int NOBODY = 65534;

    @TempDir
    Path directory;

    private final List<AutoCloseable> leftovers = new ArrayList<>();

    @AfterEach
    void closeLeftovers() throws Exception {
        for (AutoCloseable leftover : this.leftovers) {
            leftover.close();
        }
    }

    private static ShareOptions options(Path socket, ShareRole role) {
        return ShareOptions.builder("chan", socket).role(role).reconnectInterval(Duration.ofMillis(20))
                .attachTimeout(Duration.ofMillis(300)).build();
    }

    private SharedChannel open(ShareOptions options) {
        SharedChannel channel = SharedChannel.open(options);
        this.leftovers.add(channel);
        return channel;
    }

    private Path run() throws IOException {
        return Files.createDirectory(this.directory.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String mode(Path path) throws IOException {
        return Integer.toOctalString((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
    }

    private static void command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }

    private static boolean root() {
        return SharedChannel.currentUid() == 0;
    }

    @Test
    void whenAnotherUidCreatedTheSocketDirectoryFirstThenEveryRoleIsRefusedNamingOwnerModeAndFix() throws Exception {
        assumeTrue(root(), "needs root to act as another uid");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        // a shared sticky directory like /tmp, where the channel's own directory does not exist yet
        Path shared = Files.createTempDirectory("eventfd-squat");
        this.leftovers.add(() -> command("rm", "-rf", shared.toString()));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path squatted = shared.resolve("run");
        command("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "mkdir", "-m", "0755",
                squatted.toString());
        Path socket = squatted.resolve("chan.sock");
        for (ShareRole role : ShareRole.values()) {
            assertThatExceptionOfType(ShareException.class).as(role.name())
                    .isThrownBy(() -> open(options(socket, role)))
                    .withMessageContaining(squatted.toString())
                    .withMessageContaining("owned by uid " + NOBODY)
                    .withMessageContaining("mode 0755")
                    .withMessageContaining("chown");
        }
        assertThat(entries(squatted)).isEmpty();
        assertThat(entries(shared)).containsExactly("run");
    }

    @Test
    void whenTheSocketDirectoryBelongsToAnAllowedUidThenThisProcessMayAttachThereButNeverServes() throws Exception {
        assumeTrue(root(), "needs root to act as another uid");
        Path theirs = run();
        Files.setAttribute(theirs, "unix:uid", NOBODY);
        Files.setAttribute(theirs, "unix:mode", 0755);
        Path socket = theirs.resolve("chan.sock");
        for (ShareRole role : new ShareRole[] { ShareRole.AUTO, ShareRole.ATTACH }) {
            ShareOptions options = ShareOptions.builder("chan", socket).role(role).allowedUids(Set.of(0, NOBODY))
                    .attachTimeout(Duration.ofMillis(300)).build();
            // not refused for the directory: nobody serves yet, and this process may not serve in it
            assertThatExceptionOfType(ShareException.class).as(role.name()).isThrownBy(() -> open(options))
                    .withMessageContaining("nobody serves " + socket);
        }
        ShareOptions owner = ShareOptions.builder("chan", socket).role(ShareRole.OWNER).allowedUids(Set.of(0, NOBODY))
                .build();
        assertThatExceptionOfType(ShareException.class).isThrownBy(() -> open(owner))
                .withMessageContaining("belongs to uid " + NOBODY);
        assertThat(entries(theirs)).isEmpty();
        // a uid that is not allowed is no trusted owner
        assertThatExceptionOfType(ShareException.class)
                .isThrownBy(() -> open(options(socket, ShareRole.ATTACH)))
                .withMessageContaining("owned by uid " + NOBODY);
    }

    @Test
    void whenNobodyAllowedMayWriteTheSocketDirectoryThenOpenFailsAtOnceNamingTheErrnoAndThePath() throws Exception {
        assumeTrue(root(), "needs root to start a process as another uid");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        Path shared = Files.createTempDirectory("eventfd-denied");
        this.leftovers.add(() -> command("rm", "-rf", shared.toString()));
        String classpath = TestClasspath.copyForAnyone(TestClasspath.of(ShareParticipant.class, EventFd.class,
                Native.class), shared.resolve("cp"));
        Files.setAttribute(shared, "unix:mode", 0755);
        // root's and writable by root only: uid 65534 may not create the lock file, and root is not allowed
        Path run = Files.createDirectory(shared.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path socket = run.resolve("chan.sock");
        List<String> asNobody = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
        // an attach timeout far beyond the 30 s the answer is awaited: only a failure at once answers in time
        Participant denied = Participant.start(asNobody, classpath, socket, "QUEUE", "COUNTER", "AUTO", true,
                "rw-------", Integer.toString(NOBODY), 120_000);
        this.leftovers.add(denied);
        assertThat(denied.expect("failed")).contains("may not serve " + socket)
                .contains("open(2) failed: EACCES (13) Permission denied [" + socket + ".lock]")
                .contains("no other allowed uid [" + NOBODY + "] may create files in its directory, a directory "
                        + "owned by uid 0 with mode 0755")
                .contains("Fix:");
        assertThat(denied.waitFor(Duration.ofSeconds(20))).isEqualTo(3);
        assertThat(entries(run)).isEmpty();
        // where an allowed uid may serve (root), a server may still come: it waits, and then names why it did not serve
        Participant waiting = Participant.start(asNobody, classpath, socket, "QUEUE", "COUNTER", "AUTO", true,
                "rw-------", "0," + NOBODY, 300);
        this.leftovers.add(waiting);
        assertThat(waiting.expect("failed")).contains("nobody serves " + socket + " and this process could not serve "
                + "(open(2) failed: EACCES (13) Permission denied [" + socket + ".lock]); gave up after PT0.3S");
    }

    @Test
    void whenARegularFileSitsWhereTheSocketDirectoryWouldBeThenEveryRoleFailsAtOnceNamingItAndEnotdir()
            throws Exception {
        Path file = Files.writeString(this.directory.resolve("file"), "keep");
        for (Path socket : List.of(file.resolve("chan.sock"), file.resolve("a/b/chan.sock"))) {
            for (ShareRole role : ShareRole.values()) {
                ShareOptions options = ShareOptions.builder("chan", socket).role(role)
                        .attachTimeout(Duration.ofMinutes(10)).build();
                assertThatExceptionOfType(ShareException.class).as("%s %s", socket, role)
                        .isThrownBy(() -> open(options))
                        .withMessageContaining(file + " is a regular file owned by uid " + SharedChannel.currentUid())
                        .withMessageContaining("not a directory (ENOTDIR)");
            }
        }
        assertThat(file).hasContent("keep");
        assertThat(entries(this.directory)).containsExactly("file");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0770, 0707, 0777, 0775 })
    void whenSocketDirectoryIsWritableByGroupOrOthersThenOpenIsRefused(int mode) throws Exception {
        Path run = run();
        Files.setAttribute(run, "unix:mode", mode);
        Path socket = run.resolve("chan.sock");
        for (ShareRole role : ShareRole.values()) {
            assertThatExceptionOfType(ShareException.class).as(role.name())
                    .isThrownBy(() -> open(options(socket, role)))
                    .withMessageContaining(run.toString())
                    .withMessageContaining("mode 0" + Integer.toOctalString(mode))
                    .withMessageContaining("writable by group or others");
        }
        assertThat(entries(run)).isEmpty();
        assertThat(entries(this.directory)).containsExactly("run");
    }

    @Test
    void whenSocketDirectoryIsStickyThenOnlyARootOwnedOneIsAccepted() throws Exception {
        Path run = run();
        Files.setAttribute(run, "unix:mode", 01777);
        Path socket = run.resolve("chan.sock");
        if (root()) {
            assertThat(open(options(socket, ShareRole.AUTO)).state()).isEqualTo(ShareState.SERVING);
        }
        else {
            assertThatExceptionOfType(ShareException.class).isThrownBy(() -> open(options(socket, ShareRole.AUTO)))
                    .withMessageContaining("mode 01777");
        }
    }

    @Test
    void whenLockPathIsASymlinkThenOpenIsRefusedAndItsTargetIsNeitherCreatedNorChanged() throws Exception {
        Path run = run();
        Path missing = this.directory.resolve("created-by-victim");
        Path existing = Files.writeString(this.directory.resolve("victim-file"), "keep");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r-----"));
        for (Path target : List.of(missing, existing)) {
            Path lock = Files.createSymbolicLink(run.resolve("chan.sock.lock"), target);
            assertThatExceptionOfType(ShareException.class).isThrownBy(() -> open(options(run.resolve("chan.sock"),
                    ShareRole.AUTO))).withMessageContaining(lock.toString()).withMessageContaining("symbolic link");
            assertThat(Files.readSymbolicLink(lock)).isEqualTo(target);
            assertThat(entries(run)).containsExactly("chan.sock.lock");
            Files.delete(lock);
        }
        assertThat(missing).doesNotExist();
        assertThat(existing).hasContent("keep");
        assertThat(mode(existing)).isEqualTo("640");
        assertThat(entries(this.directory)).containsExactly("run", "victim-file");
    }

    @Test
    void whenLockPathIsAFifoThenOpenIsRefusedWithoutBlocking() throws Exception {
        Path run = run();
        Path fifo = run.resolve("chan.sock.lock");
        command("mkfifo", "-m", "0666", fifo.toString());
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread opening = new Thread(() -> {
            try {
                open(options(run.resolve("chan.sock"), ShareRole.AUTO));
            }
            catch (Throwable ex) {
                outcome.set(ex);
            }
        });
        opening.start();
        opening.join(TimeUnit.SECONDS.toMillis(10));
        if (opening.isAlive()) {
            // blocked in open(2) until the FIFO has a reader: become that reader so the thread can end
            try (FileInputStream reader = new FileInputStream(fifo.toFile())) {
                opening.join(TimeUnit.SECONDS.toMillis(10));
            }
            fail("opening the channel blocked on the FIFO at " + fifo);
        }
        assertThat(outcome.get()).isInstanceOf(ShareException.class).hasMessageContaining(fifo.toString())
                .hasMessageContaining("FIFO").hasMessageContaining("uid " + SharedChannel.currentUid());
        assertThat(Files.readAttributes(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode"))
                .isEqualTo(010666);
        assertThat(entries(run)).containsExactly("chan.sock.lock");
    }

    @ParameterizedTest
    @ValueSource(strings = { "regular file", "directory", "symbolic link" })
    void whenSomethingOtherThanASocketIsAtTheSocketPathThenServingIsRefusedAndItIsLeftUntouched(String kind)
            throws Exception {
        Path run = run();
        Path socket = run.resolve("chan.sock");
        Path outside = Files.writeString(this.directory.resolve("outside"), "keep");
        switch (kind) {
            case "regular file" -> Files.writeString(socket, "keep");
            case "directory" -> Files.createDirectory(socket);
            default -> Files.createSymbolicLink(socket, outside);
        }
        assertThatExceptionOfType(ShareException.class).isThrownBy(() -> open(options(socket, ShareRole.AUTO)))
                .withMessageContaining(socket.toString()).withMessageContaining("is a " + kind)
                .withMessageContaining("not a socket");
        switch (kind) {
            case "regular file" -> assertThat(socket).isRegularFile().hasContent("keep");
            case "directory" -> assertThat(socket).isEmptyDirectory();
            default -> assertThat(Files.readSymbolicLink(socket)).isEqualTo(outside);
        }
        assertThat(outside).hasContent("keep");
        assertThat(entries(run)).containsExactly("chan.sock", "chan.sock.lock");
        assertThat(entries(this.directory)).containsExactly("outside", "run");
    }

    @Test
    void whenTheSocketWasReplacedWhileServingThenCloseLeavesTheReplacementUntouched() throws Exception {
        Path run = run();
        Path socket = run.resolve("chan.sock");
        SharedChannel channel = open(options(socket, ShareRole.AUTO));
        assertThat(channel.state()).isEqualTo(ShareState.SERVING);
        Files.delete(socket);
        Files.writeString(socket, "keep");
        channel.close();
        assertThat(socket).isRegularFile().hasContent("keep");
    }

    /**
     * Under a umask of 0 nothing narrows what the code asks for, so the trace shows each mode as asked: the
     * socket, the lock file and the directories are created with their final modes, never wider. Under 027
     * the bits the umask took from the socket are given back through its descriptor. Either way nothing in
     * the socket directory gets its mode through a path.
     */
    @ParameterizedTest
    @ValueSource(strings = { "0", "027" })
    void whenServingThenNothingIsEverWiderThanConfiguredAndNoModeIsSetThroughAPath(String umask) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "needs strace");
        Path run = run();
        Path socket = run.resolve("a/b/chan.sock");
        Path trace = Files.createDirectory(this.directory.resolve("trace"));
        String classpath = TestClasspath.of(ShareParticipant.class, EventFd.class, Native.class);
        String java = String.join(" ", TestClasspath.java(), "-XX:TieredStopAtLevel=1", "-cp", classpath,
                ShareParticipant.class.getName(), socket.toString(), "QUEUE", "COUNTER", "AUTO", "false", "rw-rw----",
                Integer.toString(SharedChannel.currentUid()), "10000");
        // -ff: one file per thread, so no call is split by another thread's
        Participant participant = Participant.launch(List.of("sh", "-c", "umask " + umask + " && exec strace -ff -qq --seccomp-bpf "
                + "-e signal=none -e trace=openat,mkdir,mkdirat,chmod,fchmodat,fchmod,bind -o " + trace.resolve("t")
                + " " + java), ProcessBuilder.Redirect.INHERIT);
        this.leftovers.add(participant);
        assertThat(participant.expect("ready")).contains("state=SERVING");
        List<String> modes = List.of(mode(socket), mode(socket.resolveSibling("chan.sock.lock")),
                mode(socket.getParent()), mode(socket.getParent().getParent()));
        participant.stop();
        List<List<String>> threads = new ArrayList<>();
        try (Stream<Path> files = Files.list(trace)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                threads.add(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(line -> line.replaceAll("\\s+", " ")).collect(Collectors.toList()));
            }
        }
        List<String> calls = threads.stream().flatMap(List::stream).filter(line -> line.contains(run.toString()))
                .collect(Collectors.toList());
        assertThat(calls).noneMatch(line -> line.startsWith("chmod(") || line.startsWith("fchmodat("));
        assertThat(calls).filteredOn(line -> line.startsWith("mkdir")).hasSize(2)
                .allMatch(line -> line.endsWith(", 0750) = 0"));
        assertThat(calls).filteredOn(line -> line.contains("chan.sock.lock\"")).singleElement().asString()
                .startsWith("openat(").contains("O_CREAT", "O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC").contains(", 0600) = ");
        List<String> binding = threads.stream().filter(lines -> lines.stream().anyMatch(line -> line.startsWith("bind(")
                && line.contains(socket.toString()))).findFirst().orElseThrow();
        String bind = binding.stream().filter(line -> line.startsWith("bind(")).findFirst().orElseThrow();
        String fd = bind.replaceFirst("^bind\\((\\d+),.*", "$1");
        assertThat(binding.subList(0, binding.indexOf(bind))).contains("fchmod(" + fd + ", 0660) = 0");
        if (!umask.equals("0")) {
            assertThat(threads.stream().flatMap(List::stream)).as("bits the umask took, given back by descriptor")
                    .anyMatch(line -> line.matches("(chmod|fchmodat)\\(.*\"/proc/self/fd/\\d+\", 0660\\) = 0"));
        }
        // socket, lock file, created directories
        assertThat(modes).containsExactly("660", "600", "750", "750");
    }

}
