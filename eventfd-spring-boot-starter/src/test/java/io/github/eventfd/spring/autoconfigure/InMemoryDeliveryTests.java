package io.github.eventfd.spring.autoconfigure;

import java.nio.file.Path;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.actuate.EventFdEndpoint;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.health.EventFdHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery through in-JVM counters, as where eventfd is missing ({@code eventfd.fallback=in-memory}): no OS
 * gate, these run everywhere the fallback applies.
 */
@ExtendWith(OutputCaptureExtension.class)
class InMemoryDeliveryTests extends AbstractDeliveryTests {

    @Override
    protected String fallback() {
        return "in-memory";
    }

    @Test
    void whenAChannelIsConfiguredToBeSharedThenItRunsInThisProcessWithOneWarningAndShowsAsInMemory(
            CapturedOutput output, @TempDir Path directory) {
        Path socket = directory.resolve("run/orders.sock");
        this.actuatorRunner.withConfiguration(AutoConfigurations.of(EventFdHealthContributorAutoConfiguration.class))
                .withPropertyValues("eventfd.channels.orders.share.socket=" + socket,
                        "eventfd.channels.orders.share.kind=broadcast",
                        "management.endpoints.web.exposure.include=eventfd")
                .withBean(TestListeners.Orders.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    assertThat(orders.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
                    assertThat(orders.isShared()).isFalse();
                    assertThat(orders.sharing()).isEmpty();
                    notifier(context, "orders").signal(3);
                    TestListeners.Orders listeners = context.getBean(TestListeners.Orders.class);
                    await().until(() -> listeners.counted.get() == 3);
                    EventFdEndpoint.ChannelDescriptor described = context.getBean(EventFdEndpoint.class)
                            .channel("orders");
                    assertThat(described.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
                    assertThat(described.share()).isNull();
                    Health health = context.getBean(EventFdHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("implementation", CounterImplementation.IN_MEMORY);
                    assertThat(health.getDetails().get("channels")).asString().doesNotContain("share");
                });
        assertThat(output.getAll().split("eventfd channel 'orders' is configured to be shared", -1)).hasSize(2);
        assertThat(output).contains("eventfd channel 'orders' is configured to be shared through " + socket
                + " but runs in this process only, on an in-JVM counter, because eventfd.fallback is 'in-memory'");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void whenFallbackInMemoryThenChannelsAreInMemoryAndStillDeliver() {
        this.contextRunner.withPropertyValues("eventfd.fallback=in-memory")
                .withBean(TestListeners.Orders.class).run(context -> {
                    EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
                    assertThat(registry.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
                    assertThat(registry.channel("orders").descriptorNumber()).isEqualTo(-1);
                    EventFdNotifier orders = notifier(context, "orders");
                    for (int i = 0; i < 1000; i++) {
                        orders.signal();
                    }
                    TestListeners.Orders listeners = context.getBean(TestListeners.Orders.class);
                    await().until(() -> listeners.counted.get() == 1000);
                    assertThat(orders.pendingCount()).isZero();
                });
    }
}
