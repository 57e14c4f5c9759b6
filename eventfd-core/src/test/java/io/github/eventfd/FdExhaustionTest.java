package io.github.eventfd;

import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A JVM started under a low descriptor limit runs out of descriptors and survives it: creation fails typed,
 * and every operation of an open eventfd and of a poller registration goes on working (see
 * {@link FdExhaustionProbe}).
 */
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
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("refused with EMFILE after").contains("existing ok")
                .contains("eventfd(2) failed: EMFILE (24) Too many open files").contains("after closing 10: create ok");
        List<String> operations = new ArrayList<>(List.of("signal", "signal(n)", "tryRead", "pendingCount",
                "read() from another thread", "read(timeout) from another thread", "read(timeout) timing out",
                "close() while a read waits", "poller register", "poller delivery", "poller registration close",
                "poller still delivers to the others", "close()"));
        if (Runtime.version().feature() >= 21) {
            operations.addAll(List.of("read() from a virtual thread", "read(timeout) from a virtual thread",
                    "close() while a virtual-thread read waits"));
        }
        assertThat(output).as(output).doesNotContain("broken");
        for (String operation : operations) {
            assertThat(output).as(output).contains("op " + operation + ": ok");
        }
    }
}
