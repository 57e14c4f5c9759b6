package io.github.eventfd;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
        String classpath = Stream.of(FdExhaustionProbe.class, com.sun.jna.Native.class).map(type -> {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            }
            catch (URISyntaxException ex) {
                throw new IllegalStateException(ex);
            }
        }).distinct().collect(Collectors.joining(java.io.File.pathSeparator));
        String classes = Path.of(EventFd.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process process = new ProcessBuilder("prlimit", "--nofile=256:256", Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", classpath + java.io.File.pathSeparator + classes,
                FdExhaustionProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("refused with EMFILE after").contains("existing ok")
                .contains("eventfd(2) failed: EMFILE (24) Too many open files").contains("after closing 10: create ok");
    }
}
