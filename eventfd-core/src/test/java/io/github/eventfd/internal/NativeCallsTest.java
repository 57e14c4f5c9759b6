package io.github.eventfd.internal;

import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.sun.jna.Native;
import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@EnabledOnOs(OS.LINUX)
class NativeCallsTest {

    @Test
    void whenABackendIsAskedForThenItIsTheOneInUse() {
        String wanted = System.getProperty("eventfd.native", "auto");
        // the build makes the JNI library for the machine it runs on, so auto always finds it here
        String expected = wanted.equals("auto") ? "jni" : wanted;
        assertThat(NativeCalls.INSTANCE.name()).isEqualTo(expected);
    }

    @Test
    void whenACallFailsThenTheBackendReportsItsErrno() {
        assertThat(NativeCalls.INSTANCE.write(Integer.MAX_VALUE, Scratch.one(), 8)).isEqualTo(-1);
        assertThat(NativeCalls.INSTANCE.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(NativeCalls.INSTANCE.epollCtl(-1, Linux.EPOLL_CTL_ADD, -1,
                Scratch.current().epollEvent(Linux.EPOLLIN, 1L))).isEqualTo(-1);
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

    @Test
    void whenTheJniLibraryIsLoadedThenItsCopyAndDirectoryAreGone(@TempDir Path temporary) throws Exception {
        assertThat(runProbe("-Deventfd.native=auto", "-Djava.io.tmpdir=" + temporary)).contains("backend=jni")
                .doesNotContain("log ");
        assertThat(temporary).isEmptyDirectory();
    }

    @Test
    void whenJniIsAskedForWhereItCannotBeCopiedOutThenTheNextBackendIsUsedWithAWarningSayingWhy(
            @TempDir Path temporary) throws Exception {
        // a file where the directory to copy into should be: the copy fails, as on a read-only file system
        Path notADirectory = Files.createFile(temporary.resolve("not-a-directory"));
        String output = runProbe("-Deventfd.native=jni", "-Deventfd.native.tmpdir=" + notADirectory);
        assertThat(output).contains("backend=" + nextBackend())
                .contains("log WARNING: eventfd.native=jni but the JNI backend is not usable here; using "
                        + nextBackend().toUpperCase(Locale.ROOT))
                .contains("cannot copy out the eventfd JNI library").contains("eventfd.native.tmpdir");
    }

    @Test
    void whenTheTemporaryDirectoryForbidsExecutablesThenTheWarningSaysWhichPropertyToSet(@TempDir Path temporary)
            throws Exception {
        // the library is copied, but the JVM cannot map it: the copy-out itself has nothing to complain about
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "needs root, to mount");
        Path noexec = Files.createDirectory(temporary.resolve("mounted"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "noexec,size=1m,mode=0700", "tmpfs",
                noexec.toString()).redirectErrorStream(true).start();
        assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here");
        try {
            String output = runProbe("-Deventfd.native=jni", "-Deventfd.native.tmpdir=" + noexec);
            assertThat(output).contains("backend=" + nextBackend())
                    .contains("log WARNING: eventfd.native=jni but the JNI backend is not usable here")
                    .contains("noexec").contains("eventfd.native.tmpdir");
            assertThat(noexec).isEmptyDirectory();
        }
        finally {
            new ProcessBuilder("umount", noexec.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void whenJniCannotBeUsedUnderAutoThenTheNextBackendIsUsedWithoutAWarning(@TempDir Path temporary)
            throws Exception {
        Path notADirectory = Files.createFile(temporary.resolve("not-a-directory"));
        String output = runProbe("-Deventfd.native=auto", "-Deventfd.native.tmpdir=" + notADirectory);
        assertThat(output).contains("backend=" + nextBackend()).doesNotContain("log WARNING");
    }

    @Test
    void whenTheUmaskTakesTheOwnersOwnBitsThenTheJniLibraryIsStillLoadedAndNothingIsLeftBehind(
            @TempDir Path temporary) throws Exception {
        // 0277 leaves the owner only r-x on a new directory, 0477 only -wx: a copy-out that trusts the mode it
        // asked mkdir for cannot write into the first or load from the second (as any user but root)
        for (String umask : List.of("0277", "0477")) {
            String output = runProbe(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"),
                    "-Deventfd.native=jni", "-Djava.io.tmpdir=" + temporary);
            assertThat(output).as("umask " + umask).contains("backend=jni").doesNotContain("log ");
            assertThat(temporary).as("left behind under umask " + umask).isEmptyDirectory();
        }
    }

    @Test
    void whenNativeAccessIsDeniedThenFfmIsNotChosenAndTheLibrarySaysWhyItIsUnavailable() throws Exception {
        // JDK 24 and later: loading a library and making a downcall handle throw IllegalCallerException, where
        // finding a C symbol does not
        assumeTrue(Runtime.version().feature() >= 24 && ffmBuilt(), "needs --illegal-native-access (JDK 24+)");
        for (String wanted : List.of("ffm", "jni")) {
            String output = runProbe("--illegal-native-access=deny", "-Deventfd.native=" + wanted, "support");
            assertThat(output).as(wanted).contains("backend=jna").contains("available=false")
                    .contains("IllegalCallerException").doesNotContain("AssertionError");
        }
        assertThat(runProbe("--illegal-native-access=deny", "-Deventfd.native=ffm", "support"))
                .contains("log WARNING: eventfd.native=ffm but the FFM backend is not usable here; using JNA");
    }

    /** The backend after JNI: FFM on JDK 22 and later (when built), JNA before. */
    private static String nextBackend() {
        return (Runtime.version().feature() >= 22 && ffmBuilt()) ? "ffm" : "jna";
    }

    /**
     * Start a JVM of this JDK that chooses its backend and prints what it logged (see NativeBackendProbe).
     * @param properties the JVM's options, each starting with '-', and the probe's arguments
     */
    private static String runProbe(String... properties) throws Exception {
        return runProbe(List.of(), properties);
    }

    /** {@link #runProbe(String...)} through a command that runs the JVM (a shell that sets the umask first). */
    private static String runProbe(List<String> launcher, String... properties) throws Exception {
        // on the JDK 22+ run, the versioned classes come first, as from the multi-release jar
        String classpath = TestClasspath.of(NativeBackendProbe.class, NativeBackend.class, NativeCalls.class,
                Native.class);
        List<String> command = new ArrayList<>(launcher);
        command.add(TestClasspath.java());
        // options start with '-'; anything else is an argument of the probe
        List<String> arguments = new ArrayList<>();
        for (String property : properties) {
            (property.startsWith("-") ? command : arguments).add(property);
        }
        command.addAll(List.of("-cp", classpath, NativeBackendProbe.class.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void whenBuiltThenNativeImageMetadataDescribesEachDowncallOfTheFfmBackend() throws Exception {
        Set<String> described = describedDowncalls();
        assertThat(described).isNotEmpty();
        if (NativeCalls.INSTANCE.name().equals("ffm")) {
            // what the backend's handles take and return, less the errno segment that captureCallState adds
            Set<String> made = new TreeSet<>();
            // one holder class per function, each with its handle in a static field
            for (Class<?> holder : NativeCalls.INSTANCE.getClass().getDeclaredClasses()) {
                for (Field field : holder.getDeclaredFields()) {
                    if (field.getType() != MethodHandle.class) {
                        continue;
                    }
                    field.setAccessible(true);
                    MethodType type = ((MethodHandle) field.get(null)).type();
                    assertThat(type.parameterType(0).getName()).as(holder.getSimpleName())
                            .isEqualTo("java.lang.foreign.MemorySegment");
                    made.add(signature(type.returnType(), type.dropParameterTypes(0, 1).parameterList()));
                }
            }
            assertThat(described).isEqualTo(made);
            // each further shape is a stub the linker makes at startup: the fixed-arity functions share one
            assertThat(made).containsExactlyInAnyOrder("jlong(jlong,jlong,jlong,jlong,jlong,jlong)",
                    "jint(jlong,jint,jint)");
        }
    }

    /**
     * The downcalls in reachability-metadata.json, as {@code jlong(jint,jlong)}, each capturing errno (the
     * variadic ones also say where their variadic arguments start, which a handle's type does not show).
     */
    private static Set<String> describedDowncalls() throws Exception {
        String json;
        try (InputStream in = NativeCalls.class.getResourceAsStream(
                "/META-INF/native-image/io.github.eventfd/eventfd-core/reachability-metadata.json")) {
            assertThat(in).as("eventfd-core's native image metadata").isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher entry = Pattern.compile("\\{\\s*\"returnType\":\\s*\"(\\w+)\","
                + "\\s*\"parameterTypes\":\\s*\\[([^\\]]*)\\],"
                + "\\s*\"options\":\\s*\\{\\s*\"captureCallState\":\\s*true(,\\s*\"firstVariadicArg\":\\s*\\d+)?"
                + "\\s*\\}\\s*\\}").matcher(json);
        Set<String> downcalls = new TreeSet<>();
        int entries = 0;
        while (entry.find()) {
            entries++;
            downcalls.add(entry.group(1) + "(" + entry.group(2).replaceAll("[\\s\"]", "") + ")");
        }
        // every entry has that shape: none is skipped by the pattern
        assertThat(json.split("\"returnType\"", -1)).hasSize(entries + 1);
        return downcalls;
    }

    private static String signature(Class<?> returnType, List<Class<?>> parameterTypes) {
        return jni(returnType) + "("
                + parameterTypes.stream().map(NativeCallsTest::jni).collect(Collectors.joining(",")) + ")";
    }

    private static String jni(Class<?> type) {
        return "j" + type.getName();
    }

    private static boolean ffmBuilt() {
        return NativeCallsTest.class.getClassLoader().getResource("io/github/eventfd/internal/FfmCalls.class") != null;
    }
}
