package io.github.eventfd.spring.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.eventfd.TestClasspath;
import io.github.eventfd.share.SharedChannel;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a user sees when an application with the starter cannot start: Boot's "APPLICATION FAILED TO START"
 * report, from a real {@link SpringApplication} run, naming what is wrong and how to fix it. In-memory
 * channels unless a test needs eventfd, so most run on any OS.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureReportTests {

    /**
     * Run an application that must fail and return what it logged.
     */
    static String failureReport(CapturedOutput output, Class<?> configuration, String... properties) {
        int start = output.getAll().length();
        SpringApplication application = new SpringApplication(configuration);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        application.setBannerMode(Banner.Mode.OFF);
        // in-memory channels unless the test chooses, so that the reports are the same on any OS
        Stream<String> fallback = Stream.of(properties).anyMatch(property -> property.startsWith("eventfd.fallback="))
                ? Stream.empty() : Stream.of("eventfd.fallback=in-memory");
        String[] args = Stream.concat(fallback, Stream.of(properties)).map(property -> "--" + property)
                .toArray(String[]::new);
        assertThatException().isThrownBy(() -> application.run(args).close());
        String report = output.getAll().substring(start);
        assertThat(report).contains("APPLICATION FAILED TO START");
        return report;
    }

    @Test
    void whenAnUnqualifiedNotifierMatchesSeveralChannelsThenTheReportSaysWhereEachComesFrom(CapturedOutput output) {
        String report = failureReport(output, UnqualifiedNotifierApplication.class, "eventfd.channels.orders.mode=counter",
                "eventfd.channels[config.changed].mode=counter");
        assertThat(report).contains("required a single bean, but 2 were found")
                .contains("eventFdNotifier.orders: defined by method 'notifier' in eventfd-spring-boot-starter for "
                        + "channel 'orders' (property eventfd.channels[orders] or @EventFdListener(\"orders\"); inject "
                        + "it with @Qualifier(\"orders\"))")
                .contains("eventFdNotifier.config.changed: defined by method 'notifier' in eventfd-spring-boot-starter "
                        + "for channel 'config.changed'")
                .doesNotContain("unknown location");
    }

    @Test
    void whenAConfiguredChannelNameIsNotAllowedThenTheReportNamesThePropertyValueRuleAndFix(CapturedOutput output) {
        String report = failureReport(output, StarterApplication.class, "eventfd.channels[bad name].mode=counter");
        assertThat(report).contains("Invalid eventfd configuration property 'eventfd.channels[bad name]'")
                .contains("Property: eventfd.channels[bad name]")
                .contains("Value: \"bad name\"")
                .contains("Origin: \"eventfd.channels[bad name].mode\" from property source \"commandLineArgs\"")
                .contains("Reason: names the channel 'bad name', which is not allowed: a channel name is 1 to 128 "
                        + "letters, digits, '.', '-' or '_'")
                .contains("Rename the channel under eventfd.channels to a name that follows the rule, for example "
                        + "eventfd.channels.bad-name, and use the same name in @EventFdListener and @Qualifier");
    }

    @Test
    void whenAConfiguredChannelNameIsTooLongThenTheReportNamesItAndTheLimit(CapturedOutput output) {
        String name = "a".repeat(129);
        String report = failureReport(output, StarterApplication.class, "eventfd.channels." + name + ".mode=counter");
        assertThat(report).contains("Property: eventfd.channels." + name + "\n")
                .contains("Reason: names the channel '" + name + "', which is not allowed: a channel name is 1 to 128")
                .contains("for example eventfd.channels." + "a".repeat(128) + ",");
    }

    @Test
    void whenAListenerNamesAChannelThatIsNotAllowedThenTheReportNamesTheMethodValueRuleAndFix(CapturedOutput output) {
        String report = failureReport(output, BadListenerApplication.class);
        assertThat(report).contains("Invalid @EventFdListener method")
                .contains("Method: void " + BadListener.class.getName() + ".onBad()")
                .contains("Value: \"bad name!\"")
                .contains("Reason: names the channel 'bad name!', which is not allowed: a channel name is 1 to 128")
                .contains("for example @EventFdListener(\"bad-name-\")");
    }

    @Test
    void whenAListenerIdHoldsASlashThenTheReportNamesTheMethodValueRuleAndFix(CapturedOutput output) {
        String report = failureReport(output, SlashIdListenerApplication.class);
        assertThat(report).contains("Invalid @EventFdListener method")
                .contains("Method: void " + SlashIdListener.class.getName() + ".onAudit()")
                .contains("Value: \"audit/orders\"")
                .contains("Reason: has id = \"audit/orders\", which holds a '/'")
                .contains("/actuator/eventfd/{channel}/{id}")
                .contains("@EventFdListener(id = \"audit-orders\")");
    }

    @Test
    void whenASocketPathIsLongerThanASocketAddressHoldsThenTheReportNamesThePropertyAndTheLimit(CapturedOutput output) {
        String socket = "/run/" + "s".repeat(100) + "/orders.sock";
        String report = failureReport(output, StarterApplication.class, "eventfd.channels.orders.share.socket=" + socket);
        assertThat(report).contains("Property: eventfd.channels.orders.share.socket")
                .contains("Value: \"" + socket + "\"")
                .contains("Origin: \"eventfd.channels.orders.share.socket\" from property source \"commandLineArgs\"")
                .contains("Reason: must be at most 107 bytes, what a Unix socket address holds, but '" + socket
                        + "' has 117")
                .contains("Set 'eventfd.channels.orders.share.socket' to a shorter path");
    }

    @Test
    void whenAPollerSettingIsOutOfRangeThenTheReportNamesThePropertyAndTheRule(CapturedOutput output) {
        String report = failureReport(output, StarterApplication.class, "eventfd.poller.max-events-per-wait=0");
        assertThat(report).contains("Property: eventfd.poller.max-events-per-wait")
                .contains("Origin: \"eventfd.poller.max-events-per-wait\" from property source \"commandLineArgs\"")
                .contains("Reason: must be between 1 and 4096 but was 0")
                .contains("Set 'eventfd.poller.max-events-per-wait' to a value that follows the rule above");
    }

    @Test
    void whenAChannelSettingIsMisspelledThenStartupFailsNamingTheKeyAndTheSettings(CapturedOutput output) {
        String report = failureReport(output, StarterApplication.class, "eventfd.channels.orders.mdoe=semaphore");
        assertThat(report).contains("Unknown eventfd properties, which the starter would ignore")
                .contains("Property: eventfd.channels.orders.mdoe")
                .contains("Value: \"semaphore\"")
                .contains("Origin: \"eventfd.channels.orders.mdoe\" from property source \"commandLineArgs\"")
                .contains("Reason: channel 'orders' has no setting 'mdoe'; the settings of a channel are bridge, "
                        + "dispatch, initial-value, mode, share.allowed-uids")
                .contains("Correct or remove the properties above");
    }

    @Test
    void whenADottedChannelNameHasNoBracketsThenStartupFailsShowingTheBracketSyntax(CapturedOutput output) {
        String report = failureReport(output, StarterApplication.class, "eventfd.channels.orders.created.mode=semaphore",
                "eventfd.channels.a.b.c.share.kind=broadcast");
        assertThat(report).contains("Property: eventfd.channels.orders.created.mode")
                .contains("Reason: channel 'orders' has no setting 'created.mode': a channel name with a dot needs "
                        + "brackets, eventfd.channels[orders.created].mode (in YAML \"[orders.created]\":)")
                .contains("Property: eventfd.channels.a.b.c.share.kind")
                .contains("eventfd.channels[a.b.c].share.kind");
    }

    @Test
    void whenATopLevelPropertyIsUnknownThenStartupFailsListingTheProperties(CapturedOutput output) {
        String report = failureReport(output, StarterApplication.class, "eventfd.fallbak=in-memory");
        assertThat(report).contains("Property: eventfd.fallbak")
                .contains("Reason: there is no such eventfd property; they are bridge.host-id, "
                        + "bridge.redis.channel-prefix, bridge.redis.claim-batch, bridge.redis.flush-interval, "
                        + "bridge.redis.key-prefix, bridge.redis.timeout, channels[<name>].*, enabled, fallback, "
                        + "listener.auto-startup, listener.executor-threads, listener.observation-enabled, "
                        + "listener.retry.enabled, listener.retry.initial-interval, "
                        + "listener.retry.max-attempts, listener.retry.max-interval, listener.retry.multiplier, "
                        + "poller.max-events-per-wait, poller.thread-name, shutdown.drain-timeout");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenARegularFileSitsWhereTheSocketDirectoryWouldBeThenStartupFailsAtOnceNamingThePropertyAndEnotdir(
            CapturedOutput output, @TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("file"), "keep");
        Path socket = file.resolve("run/orders.sock");
        // waiting out the attach timeout would end in "nobody serves": only a failure at once names ENOTDIR
        String report = failureReport(output, StarterApplication.class, "eventfd.fallback=fail",
                "eventfd.channels.orders.share.socket=" + socket, "eventfd.channels.orders.share.role=attach",
                "eventfd.channels.orders.share.attach-timeout=1m");
        assertThat(report).contains("eventfd channel 'orders' could not be shared between processes")
                .contains("Property: eventfd.channels.orders.share.socket")
                .contains("Value: \"" + socket + "\"")
                .contains("Origin: \"eventfd.channels.orders.share.socket\" from property source \"commandLineArgs\"")
                .contains("Reason: socket directory " + socket.getParent() + " cannot exist: " + file
                        + " is a regular file")
                .contains("not a directory (ENOTDIR)")
                .contains("set 'eventfd.channels.orders.share.socket' to a path in a directory that belongs to this "
                        + "process's user");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenTheApplicationMayNotWriteItsSocketDirectoryThenItFailsAtOnceNamingThePropertyTheErrnoAndThePath(
            @TempDir Path directory) throws Exception {
        assumeTrue(SharedChannel.currentUid() == 0, "needs root to start a process as another uid");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        Files.setAttribute(directory, "unix:mode", 0755);
        String classpath = TestClasspath.copyForAnyone(System.getProperty("java.class.path"), directory.resolve("cp"));
        // root's and writable by root only, and root is no allowed uid: nobody this process accepts can serve there
        Path run = Files.createDirectory(directory.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path socket = run.resolve("orders.sock");
        Process application = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                TestClasspath.java(), "-XX:TieredStopAtLevel=1", "-cp", classpath, StarterMain.class.getName(),
                "--eventfd.channels.orders.share.socket=" + socket,
                // far beyond what this test waits: only a failure at once ends the process in time
                "--eventfd.channels.orders.share.attach-timeout=10m").redirectErrorStream(true).start();
        try {
            assertThat(application.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
            String report = new String(application.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(application.exitValue()).as(report).isNotZero();
            assertThat(report).contains("APPLICATION FAILED TO START")
                    .contains("eventfd channel 'orders' could not be shared between processes")
                    .contains("Property: eventfd.channels.orders.share.socket")
                    .contains("Value: \"" + socket + "\"")
                    .contains("may not serve " + socket + ": open(2) failed: EACCES (13) Permission denied ["
                            + socket + ".lock]")
                    .contains("owned by uid 0 with mode 0755")
                    .contains("Action:");
            assertThat(Files.list(run)).isEmpty();
        }
        finally {
            application.destroyForcibly();
        }
    }

    /** The starter alone. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(EventFdAutoConfiguration.class)
    static class StarterApplication {
    }

    /** Injects a notifier without naming its channel. */
    @Configuration(proxyBeanMethods = false)
    @Import({ StarterApplication.class, UnqualifiedNotifierUser.class })
    static class UnqualifiedNotifierApplication {
    }

    /** A listener whose channel name is not allowed. */
    @Configuration(proxyBeanMethods = false)
    @Import({ StarterApplication.class, BadListener.class })
    static class BadListenerApplication {
    }

    @Import({ StarterApplication.class, SlashIdListener.class })
    static class SlashIdListenerApplication {
    }

    static class SlashIdListener {

        @EventFdListener(value = "orders", id = "audit/orders")
        void onAudit() {
        }
    }

    static class BadListener {

        @EventFdListener("bad name!")
        void onBad() {
        }
    }

    static class UnqualifiedNotifierUser {

        UnqualifiedNotifierUser(EventFdNotifier notifier) {
        }
    }
}
