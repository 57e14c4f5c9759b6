package io.github.eventfd.spring.test;

import java.nio.file.Path;
import java.time.Duration;

import io.github.eventfd.EventFdSupport;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.test.TestApplication.Delivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The two auto-configurations of this module, with and without the synchronous mode. */
@ExtendWith(OutputCaptureExtension.class)
class EventFdTestAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdSynchronousDeliveryAutoConfiguration.class,
                    EventFdRecorderAutoConfiguration.class, EventFdAutoConfiguration.class))
            .withBean(TestApplication.Orders.class);

    @Test
    void whenSynchronousPropertyIsTrueThenChannelsAreInMemoryAndDeliveredBeforeSignalReturns() {
        // fallback 'fail' would stop startup where eventfd is missing: the synchronous mode does not need eventfd
        this.contextRunner.withPropertyValues("eventfd-test.synchronous=true", "eventfd.fallback=fail").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventFdChannelFactory.class).hasSingleBean(EventFdRecorder.class);
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            assertThat(orders.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
            orders.signal();
            orders.signal();
            assertThat(context.getBean(TestApplication.Orders.class).deliveries).containsExactly(
                    new Delivery(1, Thread.currentThread()), new Delivery(1, Thread.currentThread()));
            assertThat(context.getBean(EventFdRecorder.class).deliveries("orders")).hasSize(2);
        });
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenSynchronousPropertyIsMissingThenTheStarterSetsUpChannelsAsUsualAndTheRecorderAwaitsTheirDeliveries() {
        assumeTrue(EventFdSupport.isAvailable(), "eventfd(2) is not available here");
        this.contextRunner.run(context -> {
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            assertThat(orders.implementation()).isEqualTo(CounterImplementation.EVENTFD);
            for (int i = 0; i < 5; i++) {
                orders.signal();
            }
            EventFdRecorder recorder = context.getBean(EventFdRecorder.class);
            assertThat(recorder.awaitReceivedCount("orders", 5, Duration.ofSeconds(30))).isEqualTo(5);
            // recorded after the channel's listeners returned: what they did is there
            assertThat(context.getBean(TestApplication.Orders.class).deliveries).extracting(Delivery::count)
                    .isEqualTo(recorder.deliveries("orders").stream().map(EventFdSignalEvent::getCount).toList());
            assertThat(context.getBean(TestApplication.Orders.class).deliveries).extracting(Delivery::thread)
                    .doesNotContain(Thread.currentThread());
        });
    }

    @Test
    void whenSynchronousPropertyIsFalseThenTheStarterFactoryIsUsed() {
        this.contextRunner.withPropertyValues("eventfd-test.synchronous=false", "eventfd.fallback=in-memory")
                .run(context -> {
                    assertThat(context).hasSingleBean(EventFdChannelFactory.class).hasSingleBean(EventFdRecorder.class);
                    EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    orders.signal();
                    EventFdRecorder recorder = context.getBean(EventFdRecorder.class);
                    recorder.awaitDeliveries("orders", 1, Duration.ofSeconds(30));
                    assertThat(context.getBean(TestApplication.Orders.class).deliveries).extracting(Delivery::thread)
                            .doesNotContain(Thread.currentThread());
                });
    }

    @Test
    void whenEventfdIsDisabledThenNeitherTheRecorderNorTheSynchronousFactoryIsThere() {
        this.contextRunner.withPropertyValues("eventfd.enabled=false", "eventfd-test.synchronous=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EventFdRecorder.class)
                        .doesNotHaveBean(EventFdChannelFactory.class));
    }

    @Test
    void whenASharedChannelIsConfiguredThenItRunsInThisProcessWithAWarningNamingTheSynchronousMode(
            CapturedOutput output, @TempDir Path directory) {
        Path socket = directory.resolve("orders.sock");
        this.contextRunner.withPropertyValues("eventfd-test.synchronous=true", "eventfd.channels.orders.share.socket=" + socket)
                .run(context -> {
                    EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    assertThat(orders.isShared()).isFalse();
                    orders.signal(2);
                    assertThat(context.getBean(TestApplication.Orders.class).deliveries)
                            .containsExactly(new Delivery(2, Thread.currentThread()));
                });
        assertThat(output).contains("eventfd channel 'orders' is configured to be shared through " + socket
                + " but runs in this process only, on an in-JVM counter, because signals are delivered on the "
                + "signalling thread (the synchronous mode of eventfd-spring-boot-test): other processes do not see "
                + "its signals, nor it theirs. Turn the synchronous mode off to share it");
        assertThat(directory).isEmptyDirectory();
    }
}
