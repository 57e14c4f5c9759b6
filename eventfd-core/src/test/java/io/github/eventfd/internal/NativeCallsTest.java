package io.github.eventfd.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Native;
import io.github.eventfd.TestClasspath;
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

    @Test
    void whenFfmIsAskedForWhereItCannotBeUsedThenJnaIsUsedWithAWarning() throws Exception {
        String output = runProbe("-Deventfd.native=ffm");
        if (Runtime.version().feature() >= 22 && ffmBuilt()) {
            assertThat(output).contains("backend=ffm").doesNotContain("log WARNING");
        }
        else {
            assertThat(output).contains("backend=jna")
                    .contains("log WARNING: eventfd.native=ffm but the FFM backend is not usable here; using JNA");
        }
    }

    @Test
    void whenJnaIsAskedForThenItIsUsedWithoutAWord() throws Exception {
        assertThat(runProbe("-Deventfd.native=jna")).contains("backend=jna").doesNotContain("log ");
    }

    /** Start a JVM of this JDK that chooses its backend and prints what it logged (see NativeBackendProbe). */
    private static String runProbe(String property) throws Exception {
        String classpath = TestClasspath.of(NativeBackendProbe.class, NativeCalls.class, Native.class);
        Process process = new ProcessBuilder(TestClasspath.java(), property, "-cp", classpath,
                NativeBackendProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static boolean ffmBuilt() {
        return NativeCallsTest.class.getClassLoader().getResource("io/github/eventfd/internal/FfmCalls.class") != null;
    }
}
