package io.github.eventfd.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.sun.jna.Native;
import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar {@code mvn package} makes, run on the JDK of this test (failsafe runs it on the JDK that runs Maven
 * and on the JDK 22+): the backend is its own JNI library, and no other native layer is loaded; from a jar
 * without a library for the platform, JNA before JDK 22 and FFM from 22 on, and on FFM no JNA class is
 * loaded; on each, starting and using the library starts no process and leaves no file behind.
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
    void whenBuiltThenTheJarCarriesTheJniLibraryForThisMachine() throws Exception {
        try (JarFile jar = new JarFile(packagedJar().toFile())) {
            assertThat(jar.getEntry("io/github/eventfd/internal/" + JniLibrary.resource())).isNotNull();
        }
    }

    @Test
    void whenThePackagedJarRunsThenItUsesItsJniLibraryLoadsNoOtherNativeLayerAndLeavesNothingBehind()
            throws Exception {
        List<String> loaded = runProbe(packagedJar(), "jni");
        assertThat(loaded).as("JNA classes loaded on the JNI backend")
                .noneMatch((line) -> line.contains(" com.sun.jna."));
        // (a JDK 22+ loads a few jdk.internal.foreign.abi classes at boot, linker or not)
        assertThat(loaded).as("FFM linker classes loaded on the JNI backend")
                .noneMatch((line) -> line.contains(" java.lang.foreign.Linker ")
                        || line.contains(" jdk.internal.foreign.abi.DowncallLinker "));
    }

    @Test
    void whenTheJarHasNoJniLibraryForThePlatformThenItUsesTheBackendOfItsJdk() throws Exception {
        // the jar as a build on another platform makes it, without a library for this one
        Path withoutLibrary = this.directory.resolve("eventfd-core-without-jni.jar");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(packagedJar()));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(withoutLibrary))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.getName().startsWith("io/github/eventfd/internal/jni/")) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        boolean ffm = Runtime.version().feature() >= 22;
        List<String> loaded = runProbe(withoutLibrary, ffm ? "ffm" : "jna");
        if (ffm) {
            assertThat(loaded).as("JNA classes loaded on the FFM backend")
                    .noneMatch((line) -> line.contains(" com.sun.jna."));
        }
    }

    /**
     * Run {@link PackagedJarProbe} on this test's JDK with eventfd-core from {@code jar}: it uses the backend
     * expected, starts no process (JNA's search for libraries forks {@code /sbin/ldconfig -p} unless kept from
     * it), and leaves nothing in its temporary directories; unless the backend is JNA, nothing is extracted to
     * {@code jna.tmpdir}.
     * @return the JVM's class loading log
     */
    private List<String> runProbe(Path jar, String backend) throws Exception {
        Path jnaTemp = Files.createDirectories(this.directory.resolve("jna-tmp-" + backend));
        Path javaTemp = Files.createDirectories(this.directory.resolve("java-tmp-" + backend));
        Path work = Files.createDirectories(this.directory.resolve("work-" + backend));
        Path classLog = this.directory.resolve("classes-" + backend + ".log");
        List<String> command = new ArrayList<>(List.of(TestClasspath.java()));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-Djna.tmpdir=" + jnaTemp, "-Djava.io.tmpdir=" + javaTemp,
                "-Xlog:class+load=info:file=" + classLog, "-cp",
                String.join(":", TestClasspath.of(PackagedJarProbe.class), jar.toString(),
                        TestClasspath.of(Native.class)),
                PackagedJarProbe.class.getName(), work.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("backend=" + backend).contains("done");

        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded).as("the probe's own classes came from the jar")
                .anyMatch((line) -> line.contains("io.github.eventfd.internal.NativeCalls ")
                        && line.contains(jar.getFileName().toString()));
        assertThat(loaded).as("classes of process creation: something started a process")
                .noneMatch((line) -> line.contains("java.lang.ProcessImpl ")
                        || line.contains("java.lang.ProcessBuilder "));
        assertThat(javaTemp).as("what the backend left in java.io.tmpdir").isEmptyDirectory();
        if (!backend.equals("jna")) {
            assertThat(jnaTemp).as("files JNA extracted").isEmptyDirectory();
        }
        return loaded;
    }

    private static Path packagedJar() {
        String jar = System.getProperty("eventfd.packaged.jar");
        assertThat(jar).as("system property eventfd.packaged.jar (set by the build)").isNotNull();
        Path path = Path.of(jar);
        assertThat(path).isRegularFile();
        return path;
    }
}
