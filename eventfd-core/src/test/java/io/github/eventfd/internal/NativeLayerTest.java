package io.github.eventfd.internal;

import io.github.eventfd.NativeCallException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@EnabledOnOs(OS.LINUX)
class NativeLayerTest {

    @Test
    void whenLibraryBoundThenNoLinkError() {
        assertThat(NativeCalls.INSTANCE.linkError()).isNull();
    }

    @Test
    void whenSyscallFailsThenExceptionCarriesErrnoAndItsName() {
        assertThatExceptionOfType(NativeCallException.class)
                .isThrownBy(() -> Posix.writeCounter(Integer.MAX_VALUE, Scratch.one()))
                .satisfies(ex -> {
                    assertThat(ex.syscall()).isEqualTo("write");
                    assertThat(ex.errno()).isEqualTo(Errno.EBADF);
                    assertThat(ex.errnoName()).isEqualTo("EBADF");
                })
                .withMessage("write(2) failed: EBADF (9) Bad file descriptor [eventfd 2147483647]");
    }

    @Test
    void whenEventfdGetsBadFlagsThenEinvalNamed() {
        assertThat(NativeCalls.INSTANCE.eventfd(0, 0x4000_0000)).isEqualTo(-1);
        assertThat(Errno.name(Errno.last())).isEqualTo("EINVAL");
    }

    @Test
    void whenErrnoUnknownThenNameSaysNumber() {
        assertThat(Errno.name(24)).isEqualTo("EMFILE");
        assertThat(Errno.name(999)).isEqualTo("errno 999");
    }

    @Test
    void whenX86x64ThenEpollEventIsPackedTwelveBytesElseSixteen() {
        EpollEventArray events = new EpollEventArray(4);
        boolean x86x64 = System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("x86_64");
        assertThat(events.eventSize()).isEqualTo(x86x64 ? 12 : 16);
        assertThat(events.dataOffset()).isEqualTo(x86x64 ? 4 : 8);
        assertThat(new EpollEventArray(1, true).eventSize()).isEqualTo(12);
        assertThat(new EpollEventArray(1, false).eventSize()).isEqualTo(16);
    }

    @Test
    void whenEventsWrittenThenEachReadsBackWithoutTouchingNeighbours() {
        EpollEventArray events = new EpollEventArray(3);
        events.set(0, Linux.EPOLLIN, 0x1122_3344_5566_7788L);
        events.set(1, Linux.EPOLLONESHOT, -1L);
        events.set(2, 0, 7L);
        assertThat(events.events(0)).isEqualTo(Linux.EPOLLIN);
        assertThat(events.data(0)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(events.events(1)).isEqualTo(Linux.EPOLLONESHOT);
        assertThat(events.data(1)).isEqualTo(-1L);
        assertThat(events.data(2)).isEqualTo(7L);
    }

    @Test
    void whenKernelFillsEventsThenTokenComesBackAtTheLayoutOffset() {
        int epfd = Posix.epollCreate();
        int efd = Posix.eventfd(1, false);
        try {
            long token = 0x0000_0007_0000_0003L;
            Posix.epollCtl(epfd, Linux.EPOLL_CTL_ADD, efd, Scratch.current().epollEvent(Linux.EPOLLIN, token));
            EpollEventArray events = new EpollEventArray(2);
            assertThat(Posix.epollWait(epfd, events, 1000)).isEqualTo(1);
            assertThat(events.data(0)).isEqualTo(token);
            assertThat(events.events(0) & Linux.EPOLLIN).isEqualTo(Linux.EPOLLIN);
        }
        finally {
            LibC.close(efd);
            LibC.close(epfd);
        }
    }

    @Test
    void whenOwnedFdClosedWhileInUseThenLastReleaseClosesIt() {
        OwnedFd fd = new OwnedFd(Posix.eventfd(0, false), "eventfd");
        int number = fd.acquire();
        assertThat(fd.close()).isTrue();
        assertThat(fd.close()).isFalse();
        assertThat(Files.exists(Path.of("/proc/self/fd/" + number))).isTrue();
        fd.release();
        assertThat(Files.exists(Path.of("/proc/self/fd/" + number))).isFalse();
    }
}
