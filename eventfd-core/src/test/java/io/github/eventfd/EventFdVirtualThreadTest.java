package io.github.eventfd;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read that waits on a virtual thread parks the virtual thread, not its carrier: with more waiting
 * readers than carriers, a signalling virtual thread still runs and every unit arrives. Virtual threads need
 * JDK 21+: the build runs this class on the JDK that {@code JAVA22_HOME} names.
 */
@EnabledOnOs(OS.LINUX)
@EnabledForJreRange(min = JRE.JAVA_21)
class EventFdVirtualThreadTest {

    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\\d+)");

    @Test
    void whenMoreVirtualThreadsWaitInReadsThanThereAreCarriersThenTheSignallerRunsAndEveryUnitArrives()
            throws Exception {
        String classpath = TestClasspath.of(VirtualThreadReadProbe.class, EventFd.class, Native.class);
        Process process = new ProcessBuilder(TestClasspath.java(), "--enable-native-access=ALL-UNNAMED",
                "-Deventfd.native=" + System.getProperty("eventfd.native", "auto"),
                "-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2",
                "-cp", classpath, VirtualThreadReadProbe.class.getName()).redirectErrorStream(true).start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(ended).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Map<String, Long> measured = new HashMap<>();
        Matcher pairs = PAIR.matcher(output);
        while (pairs.find()) {
            measured.put(pairs.group(1), Long.parseLong(pairs.group(2)));
        }
        // no bound on the times it prints: a read that held its carrier starves the signaller (the exit value says
        // so), and a busy machine may stall any of them for a second without anything being wrong
        assertThat(measured).as(output).containsEntry("sent", 200L).containsEntry("received", 200L)
                .containsEntry("emptyTimeoutsWithUnitsPending", 0L).containsEntry("wokenByClose", 4L);
    }
}
