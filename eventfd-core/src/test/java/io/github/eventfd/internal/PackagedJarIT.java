package io.github.eventfd.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.sun.jna.Native;
import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar {@code mvn package} makes, run on the JDK of this test (failsafe runs it on the JDK that runs Maven
 * and on the JDK 22+): the backend is JNA before JDK 22 and FFM from 22 on; on the FFM backend no JNA class is
 * loaded and nothing is extracted to {@code jna.tmpdir}; on either, starting and using the library starts no
 * process (JNA's search for libraries forks {@code /sbin/ldconfig -p} unless it is kept from doing so).
 */
@EnabledOnOs(OS.LINUX)
class PackagedJarIT {

    @TempDir
    Path directory;

    @Test
    void whenBuiltThenTheJarIsMultiReleaseWithTheFfmBackendUnderVersion22() throws Exception {
        try (JarFile jar = new JarFile(packagedJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            assertThat(jar.getEntry("META-INF/versions/22/io/github/eventfd/internal/FfmCalls.class")).isNotNull();
            assertThat(jar.getEntry("io/github/eventfd/internal/FfmCalls.class")).isNull();
        }
    }

    @Test
    void whenThePackagedJarRunsThenItUsesTheBackendOfItsJdkAndStartsNoProcess() throws Exception {
        boolean ffm = Runtime.version().feature() >= 22;
        Path jnaTemp = Files.createDirectories(this.directory.resolve("jna-tmp"));
        Path classLog = this.directory.resolve("classes.log");
        List<String> command = new ArrayList<>(List.of(TestClasspath.java()));
        if (ffm) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-Djna.tmpdir=" + jnaTemp, "-Xlog:class+load=info:file=" + classLog, "-cp",
                String.join(":", TestClasspath.of(PackagedJarProbe.class), packagedJar().toString(),
                        TestClasspath.of(Native.class)),
                PackagedJarProbe.class.getName(), this.directory.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("backend=" + (ffm ? "ffm" : "jna")).contains("done");

        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded).as("the probe's own classes came from the packaged jar")
                .anyMatch((line) -> line.contains("io.github.eventfd.internal.NativeCalls ")
                        && line.contains(packagedJar().getFileName().toString()));
        assertThat(loaded).as("classes of process creation: something started a process")
                .noneMatch((line) -> line.contains("java.lang.ProcessImpl ")
                        || line.contains("java.lang.ProcessBuilder "));
        if (ffm) {
            assertThat(loaded).as("JNA classes loaded on the FFM backend")
                    .noneMatch((line) -> line.contains(" com.sun.jna."));
            try (Stream<Path> extracted = Files.list(jnaTemp)) {
                assertThat(extracted).as("files JNA extracted").isEmpty();
            }
        }
    }

    private static Path packagedJar() {
        String jar = System.getProperty("eventfd.packaged.jar");
        assertThat(jar).as("system property eventfd.packaged.jar (set by the build)").isNotNull();
        Path path = Path.of(jar);
        assertThat(path).isRegularFile();
        return path;
    }
}
