package io.github.eventfd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assumptions.assumeThat;

class EventFdSupportTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenLinuxThenAvailableWithoutCause() {
        assertThat(EventFdSupport.isAvailable()).isTrue();
        assertThat(EventFdSupport.unavailabilityCause()).isNull();
        assertThatNoException().isThrownBy(EventFdSupport::ensureAvailability);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void warmingUpLeavesNoDescriptorBehindAndCanBeRepeated() {
        long before = ProcFs.openFdCount();
        EventFdSupport.warmUp();
        EventFdSupport.warmUp();
        assertThat(ProcFs.openFdCount()).isEqualTo(before);
    }

    /**
     * The warm-up exists so that the first channel of an application makes no call stub of its own (on the FFM
     * backend each costs milliseconds): after it, creating, registering, signalling and delivering load no
     * call stub class.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void afterTheWarmUpTheFirstChannelMakesNoCallStubOfItsOwn() throws Exception {
        Class<?> backend = Class.forName("io.github.eventfd.internal.NativeBackend");
        String classpath = TestClasspath.of(WarmUpProbe.class, backend, EventFd.class,
                org.jspecify.annotations.Nullable.class, com.sun.jna.Native.class);
        Process process = new ProcessBuilder(List.of(TestClasspath.java(), "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load=info", "-cp", classpath, WarmUpProbe.class.getName())).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("warmed up").contains("first channel done");
        String during = output.substring(0, output.indexOf("warmed up"));
        String after = output.substring(output.indexOf("warmed up"));
        assumeThat(during).as("the FFM backend (JDK 22+) makes a stub per call").contains("FfmCalls ");
        assertThat(during).contains("FfmCalls$Eventfd ", "FfmCalls$Write ", "FfmCalls$EpollCtl ",
                "FfmCalls$EpollWait ");
        assertThat(after.lines().filter(line -> line.contains("FfmCalls$"))).isEmpty();
    }
}
