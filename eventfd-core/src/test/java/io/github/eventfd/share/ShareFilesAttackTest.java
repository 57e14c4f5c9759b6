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
}
