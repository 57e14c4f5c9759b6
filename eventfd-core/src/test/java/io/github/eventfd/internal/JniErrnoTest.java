package io.github.eventfd.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.TestClasspath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JNI library keeps the errno of the call itself, whatever the C library does between the call and the
 * keeping: on a thread's first call, finding the library's thread-local variable may allocate memory, and
 * {@code malloc} may change errno even when it succeeds (POSIX allows it; glibc's does when {@code brk}
 * fails and {@code mmap} serves instead). This test runs a JVM with a {@code malloc} that always does.
 */
@EnabledOnOs(OS.LINUX)
class JniErrnoTest {

    /** A malloc that leaves errno at E2BIG (7) whenever it succeeds. */
    private static final String ERRNO_CHANGING_MALLOC = """
            #include <errno.h>
            #include <stddef.h>
            extern void *__libc_malloc(size_t size);
            void *malloc(size_t size) {
                void *memory = __libc_malloc(size);
                if (memory != NULL) {
                    errno = E2BIG;
                }
                return memory;
            }
            """;

    @TempDir
    Path directory;

    @Test
    void whenAThreadsFirstCallFailsThenItsErrnoIsTheCallsEvenWhereMallocChangesErrno() throws Exception {
        Path source = Files.writeString(this.directory.resolve("malloc.c"), ERRNO_CHANGING_MALLOC);
        Path shim = this.directory.resolve("libmalloc.so");
        Process gcc = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-O2", "-o", shim.toString(),
                source.toString())).redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("gcc (this test needs a C compiler): %s", log).isZero();

        ProcessBuilder probe = new ProcessBuilder(List.of(TestClasspath.java(), "-cp",
                TestClasspath.of(JniErrnoProbe.class, JniCalls.class), JniErrnoProbe.class.getName()))
                .redirectErrorStream(true);
        probe.environment().put("LD_PRELOAD", shim.toString());
        Process process = probe.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines().filter((line) -> line.startsWith("read="))).as(output).hasSize(4)
                .allMatch((line) -> line.equals("read=-1 errno=" + Errno.EAGAIN));
    }
}
