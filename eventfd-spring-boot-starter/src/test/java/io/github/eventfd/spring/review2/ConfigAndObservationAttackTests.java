package io.github.eventfd.spring.review2;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.autoconfigure.EventFdObservationAutoConfiguration;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Review 2 attacks: auto-startup values Boot accepts, and observations of calls a condition excluded. */
class ConfigAndObservationAttackTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdObservationAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=in-memory");

    /**
     * Boot binds {@code off} (also {@code no}, {@code 0}) to a boolean property, and the metadata says
     * {@code eventfd.listener.auto-startup} is a boolean; the listener processor resolves the raw placeholder
     * and accepts only true/false, so a value Boot accepts fails startup.
     */
    @Test
    void autoStartupPropertyOffAsBootBindsBooleansKeepsListenersStopped() {
        this.contextRunner.withPropertyValues("eventfd.listener.auto-startup=off").withBean(Orders.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(EventFdChannelRegistry.class).listener("Orders.onOrders")
                            .orElseThrow().isRunning()).isFalse();
                });
    }

    /** A placeholder with no default that resolves to nothing: a clear startup failure naming the listener. */
    @Test
    void autoStartupWithAnUnresolvablePlaceholderFailsNamingTheListener() {
        this.contextRunner.withBean(Unresolvable.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("no.such.flag").hasMessageContaining("onOrders");
        });
    }

    /**
     * A listener whose condition excluded the delivery was not called (its meters record no duration), but the
     * observation interceptor still opens an observation (a span) for it: one "process orders" span per delivery
     * for a listener that did nothing.
     */
    @Test
    void aDeliveryTheConditionExcludesIsNotObserved() {
        this.contextRunner.withPropertyValues("eventfd.listener.observation-enabled=true")
                .withBean(TestObservationRegistry.class, TestObservationRegistry::create)
                .withBean(Conditional.class).run(context -> {
                    EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    Conditional listener = context.getBean(Conditional.class);
                    orders.signal(1);
                    await().until(() -> orders.wakeupCount() == 1);
                    orders.signal(5);
                    await().until(() -> listener.counts.size() == 1);
                    assertThat(listener.counts).containsExactly(5L);
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                            .hasNumberOfObservationsWithNameEqualTo("eventfd.listener", 1);
                });
    }

    static class Orders {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        void onOrders(long count) {
            this.counts.add(count);
        }
    }

    static class Unresolvable {

        @EventFdListener(value = "orders", autoStartup = "${no.such.flag}")
        void onOrders() {
        }
    }

    static class Conditional {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "orders", id = "big", condition = "#count > 2")
        void onOrders(long count) {
            this.counts.add(count);
        }
    }
}
