package io.github.eventfd.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledOnOs(OS.LINUX)
class NativeCallsTest {

    @Test
    void whenABackendIsAskedForThenItIsTheOneInUse() {
        String wanted = System.getProperty("eventfd.native", "auto");
        String expected = wanted.equals("auto") ? ((Runtime.version().feature() >= 22 && ffmBuilt()) ? "ffm" : "jna")
                : wanted;
        assertThat(NativeCalls.INSTANCE.name()).isEqualTo(expected);
    }

    @Test
    void whenACallFailsThenTheBackendReportsItsErrno() {
        assertThat(NativeCalls.INSTANCE.write(Integer.MAX_VALUE, Scratch.one(), 8)).isEqualTo(-1);
        assertThat(NativeCalls.INSTANCE.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(NativeCalls.INSTANCE.epollCtl(-1, LibC.EPOLL_CTL_ADD, -1,
                Scratch.current().epollEvent(LibC.EPOLLIN, 1L))).isEqualTo(-1);
        assertThat(NativeCalls.INSTANCE.lastErrno()).isEqualTo(Errno.EBADF);
    }

    private static boolean ffmBuilt() {
        return NativeCallsTest.class.getClassLoader().getResource("io/github/eventfd/internal/FfmCalls.class") != null;
    }
}
