package io.github.eventfd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lazy FFM handles (holder classes) and the background warm-up under concurrent first use, in a fresh JVM each
 * run (class initialisation happens once per JVM), from the jar {@code mvn package} makes: failsafe runs it on the
 * JDK that runs Maven and on the JDK 22+, each run in turn on the JNI backend and on the one of that JDK without
 * it (JNA before JDK 22, FFM from 22).
 */
@EnabledOnOs(OS.LINUX)
class NativeLayerConcurrentFirstUseIT {

    private static final int RUNS = 6;

    @TempDir
    Path directory;

    @Test
    void manyThreadsMakingDifferentFirstCallsWhileWarmUpRunsNeverDeadlockNorFail() throws Exception {
        String jar = System.getProperty("eventfd.packaged.jar");
        assertThat(jar).as("system property eventfd.packaged.jar (set by the build)").isNotNull();
        boolean ffm = Runtime.version().feature() >= 22;
        for (int run = 0; run < RUNS; run++) {
            List<String> command = new ArrayList<>(List.of(TestClasspath.java()));
            if (ffm) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            // the JNI backend (auto) and the one of this JDK where the jar has no JNI library, in turn
            String backend = (run % 2 == 0) ? "jni" : (ffm ? "ffm" : "jna");
            command.addAll(List.of("-XX:ActiveProcessorCount=2", "-Deventfd.native=" + backend, "-cp", String.join(":",
                    TestClasspath.of(NativeLayerFirstUseProbe.class), jar, TestClasspath.of(Native.class)),
                    NativeLayerFirstUseProbe.class.getName(), this.directory.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("run " + run + ":\n" + output).isZero();
            assertThat(output).contains("backend=" + backend);
        }
    }
}
