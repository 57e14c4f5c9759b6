package io.github.eventfd.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JNI backend's library and memory: where the library is copied out to before its load, when another
 * user got there first; and its blocks, when used after their close.
 */
@EnabledOnOs(OS.LINUX)
class JniLibraryTest {

    @TempDir
    Path base;

    @BeforeEach
    void letOtherUsersEnterTheBase() throws IOException {
        // as /tmp lets them: @TempDir makes a directory no one else may enter, which keeps all below it private
        Files.setAttribute(this.base, "unix:mode", 0755);
    }

    @Test
    void whenTheNamesToCopyIntoArePlantedThenNeitherIsUsedAndTheDirectoryMadeIsPrivate() throws Exception {
        // another user's symbolic link, to a directory of theirs, and a world-writable directory of theirs
        Path theirs = Files.createDirectory(this.base.resolve("theirs"));
        Files.createSymbolicLink(this.base.resolve("name-0"), theirs);
        Path open = Files.createDirectory(this.base.resolve("name-1"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        Path made = JniLibrary.privateDirectory(this.base, (attempt) -> "name-" + attempt);

        assertThat(made).isEqualTo(this.base.resolve("name-2"));
        assertThat(Files.isSymbolicLink(made)).isFalse();
        assertThat(Files.getPosixFilePermissions(made, LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(theirs).isEmptyDirectory();
        assertThat(open).isEmptyDirectory();
    }

    @Test
    void whenTheBaseDirectoryIsWritableByOthersWithoutTheStickyBitThenNothingIsMadeInIt() throws Exception {
        // another user could rename the directory made there and put one of theirs in its place, between the
        // copy and the load: the library loaded would be theirs (a java.io.tmpdir of mode 0777, say)
        Path open = Files.createDirectory(this.base.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        assertThatExceptionOfType(IOException.class)
                .isThrownBy(() -> JniLibrary.privateDirectory(open, (attempt) -> "name-" + attempt))
                .withMessageContaining(open.toString()).withMessageContaining("writable by other users");
        assertThat(open).isEmptyDirectory();
    }

    @Test
    void whenADirectoryAboveTheBaseIsWritableByOthersThenNothingIsMadeInTheBase() throws Exception {
        Path open = Files.createDirectory(this.base.resolve("open"));
        Path inner = Files.createDirectory(open.resolve("inner"));
        Files.setAttribute(open, "unix:mode", 0777);
        assertThatExceptionOfType(IOException.class)
                .isThrownBy(() -> JniLibrary.privateDirectory(inner, (attempt) -> "name-" + attempt))
                .withMessageContaining(open.toString()).withMessageContaining("writable by other users");
        assertThat(inner).isEmptyDirectory();
    }

    @Test
    void whenTheBaseIsASymbolicLinkThenTheDirectoryItLeadsToIsCheckedAndUsed() throws Exception {
        Path open = Files.createDirectory(this.base.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        Path toOpen = Files.createSymbolicLink(this.base.resolve("to-open"), open);
        assertThatExceptionOfType(IOException.class)
                .isThrownBy(() -> JniLibrary.privateDirectory(toOpen, (attempt) -> "name-" + attempt))
                .withMessageContaining(open.toString());

        Path closed = Files.createDirectory(this.base.resolve("closed"));
        Path toClosed = Files.createSymbolicLink(this.base.resolve("to-closed"), closed);
        // what is made is named by the real path: the link may be pointed elsewhere before the load
        assertThat(JniLibrary.privateDirectory(toClosed, (attempt) -> "name-" + attempt))
                .isEqualTo(closed.toRealPath().resolve("name-0"));
    }

    @Test
    void whenAnOpenDirectoryLiesInOneNoOtherUserMayEnterThenTheDirectoryIsMadeInIt() throws Exception {
        // a java.io.tmpdir of mode 0775 (a umask of 0002) in a home directory of mode 0700, say
        Path closed = Files.createDirectory(this.base.resolve("closed"));
        Files.setAttribute(closed, "unix:mode", 0700);
        Path open = Files.createDirectory(closed.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        assertThat(JniLibrary.privateDirectory(open, (attempt) -> "name-" + attempt))
                .isEqualTo(open.toRealPath().resolve("name-0"));
    }

    @Test
    void whenTheBaseIsWritableByAllButStickyAsTmpIsThenTheDirectoryIsMade() throws Exception {
        Path sticky = Files.createDirectory(this.base.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        assertThat(JniLibrary.privateDirectory(sticky, (attempt) -> "name-" + attempt))
                .isEqualTo(sticky.toRealPath().resolve("name-0"));
    }

    @Test
    void whenTheBaseDirectoryBelongsToAnotherUserThenNothingIsMadeInIt() throws Exception {
        // the owner of a directory may rename what is in it, sticky or not
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "needs root, to chown");
        Path theirs = Files.createDirectory(this.base.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        Files.setAttribute(theirs, "unix:mode", 01755);
        assertThatExceptionOfType(IOException.class)
                .isThrownBy(() -> JniLibrary.privateDirectory(theirs, (attempt) -> "name-" + attempt))
                .withMessageContaining(theirs.toString()).withMessageContaining("uid 65534");
        assertThat(theirs).isEmptyDirectory();
    }

    @Test
    void whenEveryNameIsTakenThenTheCopyFailsNamingTheDirectory() throws Exception {
        for (int attempt = 0; attempt < JniLibrary.ATTEMPTS; attempt++) {
            Files.createDirectory(this.base.resolve("name-" + attempt));
        }
        assertThatExceptionOfType(IOException.class)
                .isThrownBy(() -> JniLibrary.privateDirectory(this.base, (attempt) -> "name-" + attempt))
                .withMessageContaining(this.base.toString()).withMessageContaining("were all taken");
    }

    @Test
    void whenTheBackendIsMadeAgainThenTheLibraryIsNotLoadedAgain() throws Exception {
        // each copy keeps its own errno, and each native method binds to whichever copy the JVM finds first:
        // with two copies, lastErrno() may read a variable the failed call never wrote
        new JniCalls();
        new JniCalls();
        new JniCalls();
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            assertThat(maps.filter((line) -> line.contains("libeventfd-jni.so"))
                    .map((line) -> line.substring(line.indexOf('/'))).distinct())
                    .as("copies of the library mapped in this JVM, one class loader").hasSize(1);
        }
    }

    @Test
    void whenATemporaryBlockIsClosedThenEveryAccessIsRefusedAndASecondCloseDoesNothing() {
        new JniCalls();
        JniBlock block = JniBlock.temporary(16);
        block.setLong(8, 42);
        assertThat(block.getLong(8)).isEqualTo(42);
        assertThat(block.getLong(0)).as("zeroed").isZero();
        block.close();
        block.close();
        assertThatIllegalStateException().isThrownBy(() -> block.getLong(8));
        assertThatIllegalStateException().isThrownBy(() -> block.setInt(0, 1));
        assertThatIllegalStateException().isThrownBy(block::address);
    }

    @Test
    void whenABlockIsWrittenThenTheKernelSeesTheBytesAtItsAddress() {
        JniCalls calls = new JniCalls();
        JniBlock block = JniBlock.lasting(8);
        int fd = calls.eventfd(0, Linux.EFD_NONBLOCK);
        assertThat(fd).isNotNegative();
        try {
            block.setLong(0, 7);
            assertThat(calls.write(fd, block.address(), 8)).isEqualTo(8);
            block.setLong(0, 0);
            assertThat(calls.read(fd, block.address(), 8)).isEqualTo(8);
            assertThat(block.getLong(0)).isEqualTo(7);
            assertThat(calls.read(fd, block.address(), 8)).isEqualTo(-1);
            assertThat(calls.lastErrno()).isEqualTo(Errno.EAGAIN);
            assertThat(calls.strerror(Errno.EAGAIN)).isEqualTo("Resource temporarily unavailable");
        }
        finally {
            calls.close(fd);
        }
    }

    @Test
    void whenABlockSizeIsNotAPositiveIntThenItIsRefusedNamingTheSize() {
        new JniCalls();
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> JniBlock.lasting(0))
                .withMessageContaining("0 bytes");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> JniBlock.temporary(1L << 33))
                .withMessageContaining(String.valueOf(1L << 33));
    }
}
