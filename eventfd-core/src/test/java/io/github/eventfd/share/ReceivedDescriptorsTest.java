package io.github.eventfd.share;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.ProcFs;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.FdInfo;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** What a descriptor from another process must be, who owns it, and how two are told apart. */
@EnabledOnOs(OS.LINUX)
class ReceivedDescriptorsTest {

    @TempDir
    Path directory;

    @Test
    void whenARefusedDescriptorIsClosedByItsOwnerThenTheNumberItHadIsNeverClosedAgain() throws Exception {
        for (int i = 0; i < 50; i++) {
            OwnedFd received = new OwnedFd(Posix.epollCreate(), "received-fd");
            int number = received.number();
            assertThatExceptionOfType(ShareException.class)
                    .isThrownBy(() -> ReceivedDescriptors.adopt(received, EventFdMode.COUNTER))
                    .satisfies(ex -> assertThat(ex.reason()).isEqualTo(ShareErrorReason.NOT_EVENTFD));
            // the owner closes what it was not handed on, as the server does with a refused hello
            received.close();
            // the freed number is the lowest free one: a file opened now gets it
            Path file = this.directory.resolve("file-" + i);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                boolean reused = ProcFs.fdTarget(number).equals(file.toString());
                received.close();
                // had the number been closed again, this file would be gone from under its channel
                assertThatNoException().as("file on reused fd %s: %s", number, reused)
                        .isThrownBy(() -> channel.write(ByteBuffer.wrap(new byte[] { 1 })));
            }
            assertThat(Files.size(file)).isEqualTo(1);
        }
    }

    @Test
    void whenAPeerClearedTheNonBlockingFlagThenTheEventFdIsStillAdmitted() {
        try (EventFd original = EventFd.create()) {
            int dup = LibC.fcntl(original.descriptorNumber(), Linux.F_DUPFD_CLOEXEC, 0);
            assertThat(LibC.fcntl(dup, Linux.F_SETFL, 0)).isZero();
            try (EventFd adopted = ReceivedDescriptors.adopt(new OwnedFd(dup, "received-fd"), EventFdMode.COUNTER)) {
                assertThat(ReceivedDescriptors.sameEventFd(original, adopted)).isTrue();
                assertThat(adopted.tryRead()).isZero();
            }
        }
    }

    @Test
    void whenTwoEventFdsDifferThenTheyAreToldApart() {
        try (EventFd a = EventFd.create(); EventFd b = EventFd.create()) {
            assertThat(ReceivedDescriptors.sameEventFd(a, b)).isFalse();
        }
    }

    @Test
    void whenTheKernelReportsTheModeThenAWrongModeIsRefused() {
        FdInfo semaphore = FdInfo.parse(3, "eventfd-count: 0\neventfd-semaphore: 1\n");
        assertThatExceptionOfType(ShareException.class)
                .isThrownBy(() -> ReceivedDescriptors.checkMode(semaphore, EventFdMode.COUNTER))
                .withMessageContaining("semaphore mode, the channel expects COUNTER");
        assertThatNoException().isThrownBy(() -> ReceivedDescriptors.checkMode(semaphore, EventFdMode.SEMAPHORE));
    }

    @Test
    void whenTheKernelDoesNotReportTheModeThenTheDeclaredModeStands() {
        FdInfo older = FdInfo.parse(3, "eventfd-count: 0\n");
        assertThatNoException().isThrownBy(() -> ReceivedDescriptors.checkMode(older, EventFdMode.COUNTER));
        assertThatNoException().isThrownBy(() -> ReceivedDescriptors.checkMode(older, EventFdMode.SEMAPHORE));
    }

    @Test
    void whenAnEventFdIsRetiredIntoWhatIsTheSameEventFdThenItEndsAndTheCountStays() {
        try (EventFd original = EventFd.create(EventFdMode.SEMAPHORE, 5)) {
            int dup = LibC.fcntl(original.descriptorNumber(), Linux.F_DUPFD_CLOEXEC, 0);
            try (EventFd same = ReceivedDescriptors.adopt(new OwnedFd(dup, "received-fd"), EventFdMode.SEMAPHORE)) {
                // unit by unit, draining and re-signalling one eventfd never ends: draining first does
                assertThat(EventFdAccess.get().retireInto(original, same, Duration.ofSeconds(5))).isTrue();
                assertThat(original.isClosed()).isTrue();
                assertThat(same.pendingCount()).isEqualTo(5);
            }
        }
    }
}
