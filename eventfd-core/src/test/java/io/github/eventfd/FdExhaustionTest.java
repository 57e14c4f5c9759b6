package io.github.eventfd;

import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A JVM started under a low descriptor limit runs out of descriptors and survives it. */
@EnabledOnOs(OS.LINUX)
class FdExhaustionTest {

    @Test
    void whenTheDescriptorLimitIsReachedThenCreationFailsWithEmfileAndOpenChannelsKeepWorking() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs prlimit (util-linux)");
        String classpath = TestClasspath.of(FdExhaustionProbe.class, EventFd.class, Native.class);
        Process process = new ProcessBuilder("prlimit", "--nofile=256:256", TestClasspath.java(), "-cp", classpath,
                FdExhaustionProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("refused with EMFILE after").contains("existing ok")
                .contains("eventfd(2) failed: EMFILE (24) Too many open files").contains("after closing 10: create ok");
    }
}
