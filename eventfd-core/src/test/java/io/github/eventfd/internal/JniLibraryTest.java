package io.github.eventfd.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The JNI backend's library and memory: where the library is copied out to before its load, when another
 * user got there first; and its blocks, when used after their close.
 */
@EnabledOnOs(OS.LINUX)
class JniLibraryTest {

    @TempDir
    Path base;

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
