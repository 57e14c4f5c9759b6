package io.github.eventfd.spring.autoconfigure;

import java.util.stream.Stream;

import io.github.eventfd.spring.EventFdNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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

/**
 * What a user sees when an application with the starter cannot start: Boot's "APPLICATION FAILED TO START"
 * report, from a real {@link SpringApplication} run, naming what is wrong and how to fix it. In-memory
 * channels, so on any OS.
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
        String[] args = Stream.concat(Stream.of("eventfd.fallback=in-memory"), Stream.of(properties))
                .map(property -> "--" + property).toArray(String[]::new);
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
                .contains("eventFdNotifier.orders: defined in eventfd-spring-boot-starter for channel 'orders' "
                        + "(property eventfd.channels[orders] or @EventFdListener(\"orders\"); inject it with "
                        + "@Qualifier(\"orders\"))")
                .contains("eventFdNotifier.config.changed: defined in eventfd-spring-boot-starter for channel "
                        + "'config.changed'")
                .doesNotContain("unknown location");
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

    static class UnqualifiedNotifierUser {

        UnqualifiedNotifierUser(EventFdNotifier notifier) {
        }
    }
}
