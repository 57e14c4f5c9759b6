package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.observation.DefaultEventFdListenerObservationConvention;
import io.github.eventfd.spring.observation.EventFdListenerContext;
import io.github.eventfd.spring.observation.EventFdListenerObservationConvention;
import io.github.eventfd.spring.observation.EventFdListenerObservationInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observation of listener calls: off by default, one observation per call with the documented convention when
 * on, a convention bean replacing the default, one span per delivery with a tracer bridge, and the listener
 * meters beside the observation's timer under another name.
 */
class EventFdObservationAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdObservationAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=in-memory")
            .withBean(TestObservationRegistry.class, TestObservationRegistry::create)
            .withBean(Orders.class);

    @Test
    void whenObservationIsNotEnabledThenListenerCallsAreNotObserved() {
        this.contextRunner.run(context -> {
            assertThat(context).doesNotHaveBean(EventFdListenerObservationInterceptor.class);
            deliver(context.getBean(EventFdChannelRegistry.class).channel("orders"), context.getBean(Orders.class), 2);
            TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                    .doesNotHaveAnyObservation();
        });
    }

    @Test
    void whenObservationIsEnabledThenEachCallIsAnObservationWithChannelListenerAndCount() {
        this.contextRunner.withPropertyValues("eventfd.listener.observation-enabled=true").run(context -> {
            assertThat(context).hasSingleBean(EventFdListenerObservationInterceptor.class);
            Orders orders = context.getBean(Orders.class);
            deliver(context.getBean(EventFdChannelRegistry.class).channel("orders"), orders, 7);
            orders.failNext.set(1);
            deliver(context.getBean(EventFdChannelRegistry.class).channel("orders"), orders, 1);
            TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                    .hasNumberOfObservationsWithNameEqualTo("eventfd.listener", 2)
                    .forAllObservationsWithNameEqualTo("eventfd.listener", observation -> observation
                            .hasContextualNameEqualTo("process orders")
                            .hasLowCardinalityKeyValue("channel", "orders")
                            .hasLowCardinalityKeyValue("listener", "billing")
                            .isInstanceOf(EventFdListenerContext.class))
                    .hasAnObservation(observation -> observation.hasHighCardinalityKeyValue("eventfd.count", "7")
                            .doesNotHaveError())
                    .hasAnObservation(observation -> observation.hasHighCardinalityKeyValue("eventfd.count", "1")
                            .assertThatError().hasMessage("boom"));
        });
    }

    @Test
    void whenTheApplicationDefinesAConventionThenItReplacesTheDefault() {
        this.contextRunner.withPropertyValues("eventfd.listener.observation-enabled=true")
                .withBean(EventFdListenerObservationConvention.class, Renamed::new).run(context -> {
                    deliver(context.getBean(EventFdChannelRegistry.class).channel("orders"),
                            context.getBean(Orders.class), 1);
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                            .hasSingleObservationThat().hasNameEqualTo("billing.run")
                            .hasLowCardinalityKeyValue("channel", "orders")
                            .hasLowCardinalityKeyValue("team", "billing");
                });
    }

    @Test
    void whenATracerIsBridgedThenEachDeliveryIsOneSpanInScopeWhileTheListenerRuns() {
        SimpleTracer tracer = new SimpleTracer();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdObservationAutoConfiguration.class))
                .withPropertyValues("eventfd.fallback=in-memory", "eventfd.listener.observation-enabled=true")
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
                    return registry;
                })
                .withBean(Orders.class, () -> new Orders(tracer)).run(context -> {
                    EventFdChannel channel = context.getBean(EventFdChannelRegistry.class).channel("orders");
                    Orders orders = context.getBean(Orders.class);
                    for (int count = 1; count <= 3; count++) {
                        deliver(channel, orders, count);
                    }
                    List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
                    assertThat(spans).hasSize(3).allSatisfy(span -> {
                        assertThat(span.getName()).isEqualTo("process orders");
                        assertThat(span.getTags()).containsEntry("channel", "orders").containsEntry("listener",
                                "billing");
                        assertThat(span.getEndTimestamp()).isAfterOrEqualTo(span.getStartTimestamp());
                    });
                    assertThat(spans).extracting(span -> span.getTags().get("eventfd.count"))
                            .containsExactlyInAnyOrder("1", "2", "3");
                    // what the listener does runs inside its span: a child span of it would be traced with it
                    assertThat(orders.spansSeen).hasSize(3).doesNotContainNull();
                    assertThat(orders.spansSeen).extracting(span -> span.context().spanId())
                            .containsExactlyInAnyOrderElementsOf(spans.stream().map(SimpleSpan::getSpanId).toList());
                });
    }

    @Test
    void whenMetersAndObservationAreBothOnThenTheirTimersHaveDistinctNames() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdMetricsAutoConfiguration.class, EventFdObservationAutoConfiguration.class))
                .withPropertyValues("eventfd.fallback=in-memory", "eventfd.listener.observation-enabled=true")
                .withBean(MeterRegistry.class, () -> meters)
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
                    return registry;
                })
                .withBean(Orders.class).run(context -> {
                    deliver(context.getBean(EventFdChannelRegistry.class).channel("orders"),
                            context.getBean(Orders.class), 4);
                    // both timers stop once the method has returned, after the call the delivery waited for
                    await().untilAsserted(() -> {
                        assertThat(meters.find("eventfd.listener.duration")
                            .tags("channel", "orders", "listener", "billing").timers()).singleElement()
                            .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
                        assertThat(meters.find("eventfd.listener")
                            .tags("channel", "orders", "listener", "billing", "error", "none").timers())
                            .singleElement().satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
                    });
                });
    }

    @Test
    void whenAListenerConditionExcludesADeliveryThenThatDeliveryIsNotObserved() {
        this.contextRunner.withPropertyValues("eventfd.listener.observation-enabled=true").withBean(Conditional.class)
                .run(context -> {
                    EventFdChannel big = context.getBean(EventFdChannelRegistry.class).channel("big");
                    Conditional listener = context.getBean(Conditional.class);
                    big.signal(1);
                    await().until(() -> big.wakeupCount() == 1);
                    big.signal(5);
                    await().until(() -> listener.counts.size() == 1);
                    assertThat(listener.counts).containsExactly(5L);
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                            .hasNumberOfObservationsWithNameEqualTo("eventfd.listener", 1);
                });
    }

    private static void deliver(EventFdChannel channel, Orders orders, long count) {
        int before = orders.calls.get();
        channel.signal(count);
        await().until(() -> orders.calls.get() == before + 1);
    }

    static class Orders {

        final AtomicInteger calls = new AtomicInteger();

        final AtomicInteger failNext = new AtomicInteger();

        final List<Span> spansSeen = new CopyOnWriteArrayList<>();

        private final SimpleTracer tracer;

        Orders() {
            this(new SimpleTracer());
        }

        Orders(SimpleTracer tracer) {
            this.tracer = tracer;
        }

        @EventFdListener(value = "orders", id = "billing")
        void onOrders(long count) {
            Span current = this.tracer.currentSpan();
            if (current != null) {
                this.spansSeen.add(current);
            }
            this.calls.incrementAndGet();
            if (this.failNext.getAndSet(0) == 1) {
                throw new IllegalStateException("boom");
            }
        }
    }

    /** An application's convention: another name and one more key. */
    static class Conditional {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "big", id = "big", condition = "#count > 2")
        void onBig(long count) {
            this.counts.add(count);
        }
    }

    static class Renamed extends DefaultEventFdListenerObservationConvention {

        @Override
        public String getName() {
            return "billing.run";
        }

        @Override
        public io.micrometer.common.KeyValues getLowCardinalityKeyValues(EventFdListenerContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "billing");
        }
    }
}
