package io.github.eventfd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Native;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lazy FFM handles (holder classes) and the background warm-up under concurrent first use, in a
 * fresh JVM each run (class initialisation happens once per JVM), from the packaged multi-release jar on JDK 25
 * (FFM) and on the JDK that runs the test (JNA on 17).
 */
@EnabledOnOs(OS.LINUX)
class NativeLayerConcurrentFirstUseTest {

    private static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = { "jdk25", "current" })
    void manyThreadsMakingDifferentFirstCallsWhileWarmUpRunsNeverDeadlockNorFail(String jdk) throws Exception {
        Path jar = Files.list(Path.of("target")).filter(p -> p.getFileName().toString().matches("eventfd-core-[^-]+-SNAPSHOT\\.jar"))
                .findFirst().orElseThrow().toAbsolutePath();
        String java = jdk.equals("jdk25") ? JDK25 : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int run = 0; run < 12; run++) {
            List<String> command = new ArrayList<>(List.of(java));
            if (jdk.equals("jdk25") || Runtime.version().feature() >= 22) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(List.of("-XX:ActiveProcessorCount=2", "-cp", String.join(":",
                    TestClasspath.of(NativeLayerFirstUseProbe.class), jar.toString(), TestClasspath.of(Native.class)),
                    NativeLayerFirstUseProbe.class.getName(), this.directory.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("run " + run + " on " + jdk + ":\n" + output).isZero();
            assertThat(output).contains("backend="
                    + ((jdk.equals("jdk25") || Runtime.version().feature() >= 22) ? "ffm" : "jna"));
        }
    }
}
