package io.github.eventfd.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.github.eventfd.EventFd;
import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.channel.ListenerInterceptor;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.FallbackPolicy;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link EventFdMetrics} and {@link EventFdListenerMetrics} on a {@link SimpleMeterRegistry}, over in-memory
 * channels delivered on the signalling thread: exact, and on any OS.
 */
class EventFdMetricsTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private EventFdChannelRegistry registry = registry(event -> { });

    private EventFdChannelLifecycle lifecycle;

    private EventFdChannelRegistry registry(ApplicationEventPublisher publisher) {
        EventFdChannelRegistry channels = new EventFdChannelRegistry(List.of(ChannelDefinition.withDefaults("orders")),
                new EventFdChannelFactory(FallbackPolicy.IN_MEMORY, publisher));
        this.lifecycle = new EventFdChannelLifecycle(channels,
                new EventFdChannelLifecycle.Settings("test-poller", 8, Duration.ofSeconds(1)), Runnable::run);
        return channels;
    }

    @AfterEach
    void close() {
        this.lifecycle.stop();
        this.registry.destroy();
    }

    @Test
    void whenBoundThenEveryMeterHasADescriptionNoPseudoUnitAndOnlyBoundedTags() {
        new EventFdMetrics(this.registry).bindTo(this.meters);
        assertThat(this.meters.getMeters()).extracting(meter -> meter.getId().getName()).contains("eventfd.signals.sent",
                "eventfd.signals.received", "eventfd.signals.failed", "eventfd.wakeups", "eventfd.pending",
                "eventfd.listener.errors");
        for (Meter meter : this.meters.getMeters()) {
            assertThat(meter.getId().getDescription()).as(meter.getId().toString()).isNotBlank();
            // they count events: a base unit would only repeat the name (eventfd_signals_sent_signals_total)
            assertThat(meter.getId().getBaseUnit()).as(meter.getId().toString()).isNull();
            assertThat(meter.getId().getTags()).extracting(Tag::getKey).allMatch(Set.of("channel", "listener")::contains);
        }
        assertThat(this.meters.find("eventfd.peers").meter()).as("only shared channels have peers").isNull();
    }

    @Test
    void whenSignalledAndDeliveredThenTheMetersCountExactly() {
        new EventFdMetrics(this.registry).bindTo(this.meters);
        this.lifecycle.start();
        EventFdChannel orders = this.registry.channel("orders");
        orders.signal(3);
        orders.signal(2);
        assertThat(this.meters.get("eventfd.signals.sent").tag("channel", "orders").functionCounter().count()).isEqualTo(5);
        assertThat(this.meters.get("eventfd.signals.received").tag("channel", "orders").functionCounter().count())
                .isEqualTo(5);
        assertThat(this.meters.get("eventfd.wakeups").tag("channel", "orders").functionCounter().count()).isEqualTo(2);
        assertThat(this.meters.get("eventfd.pending").tag("channel", "orders").gauge().value()).isZero();
    }

    @Test
    void whenSumsPassLongMaxValueThenTheMetersReadThemUnsigned() {
        new EventFdMetrics(this.registry).bindTo(this.meters);
        EventFdChannel orders = this.registry.channel("orders");
        orders.signal(Long.MAX_VALUE);
        orders.signal(Long.MAX_VALUE);
        double max = UnsignedCount.toDouble(EventFd.MAX_COUNT);
        assertThat(this.meters.get("eventfd.signals.sent").tag("channel", "orders").functionCounter().count())
                .isEqualTo(max);
        assertThat(this.meters.get("eventfd.pending").tag("channel", "orders").gauge().value()).isEqualTo(max);
    }

    @Test
    void whenSignalsOfACommittedTransactionCannotBeWrittenThenEachFailureIsCountedAndNothingIsSent() {
        new EventFdMetrics(this.registry).bindTo(this.meters);
        EventFdChannel orders = this.registry.channel("orders");
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(
                new DriverManagerDataSource("jdbc:h2:mem:metrics-" + UUID.randomUUID())));
        // the counter is full when the transaction commits
        orders.signal(Long.MAX_VALUE);
        orders.signal(Long.MAX_VALUE);
        transaction.executeWithoutResult(status -> orders.signal(1));
        assertThat(orders.pendingCount()).isEqualTo(EventFd.MAX_COUNT);
        // the channel is closed (its context shut down) when the transaction commits
        transaction.executeWithoutResult(status -> {
            orders.signal(2);
            this.registry.destroy();
        });
        assertThat(this.meters.get("eventfd.signals.failed").tag("channel", "orders").functionCounter().count())
                .isEqualTo(2);
        assertThat(orders.sentCount()).isEqualTo(EventFd.MAX_COUNT);
    }

    @Test
    void whenAChannelIsAddedAfterBindingThenItGetsMetersToo() {
        new EventFdMetrics(this.registry).bindTo(this.meters);
        this.registry.declare("late").signal();
        assertThat(this.meters.get("eventfd.signals.sent").tag("channel", "late").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void whenAPlainListenerThrowsThenItIsCountedUnderEventListener() {
        this.registry = registry(event -> {
            throw new IllegalStateException("plain listener failed");
        });
        new EventFdMetrics(this.registry).bindTo(this.meters);
        this.lifecycle.start();
        this.registry.channel("orders").signal();
        assertThat(this.meters.get("eventfd.listener.errors").tags("channel", "orders", "listener",
                EventFdMetrics.PLAIN_LISTENER).functionCounter().count()).isEqualTo(1);
        assertThat(this.meters.get("eventfd.wakeups").tag("channel", "orders").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void whenTheChannelIsClosedThenPendingIsNaNRatherThanAFailure() {
        new EventFdMetrics(this.registry).bindTo(this.meters);
        this.registry.destroy();
        assertThat(this.meters.get("eventfd.pending").tag("channel", "orders").gauge().value()).isNaN();
    }

    @Test
    void whenAListenerIsObservedThenDurationAndErrorsAreRecordedPerListener() throws Exception {
        ListenerInterceptor.Interception interception = new EventFdListenerMetrics(this.meters)
                .listenerAdded("orders", "Billing.onOrders");
        EventFdSignalEvent event = new EventFdSignalEvent(this, "orders", 1);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThat(interception.intercept(event, () -> true)).isTrue();
        assertThat(interception.intercept(event, () -> false)).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> interception.intercept(event, () -> {
            throw boom;
        })).isSameAs(boom);
        interception.retried();
        interception.gaveUp();
        // the call the condition excluded is not timed
        assertThat(this.meters.get("eventfd.listener.duration").tags("channel", "orders", "listener", "Billing.onOrders")
                .timer().count()).isEqualTo(2);
        assertThat(this.meters.get("eventfd.listener.errors").tags("channel", "orders", "listener", "Billing.onOrders")
                .counter().count()).isEqualTo(1);
        assertThat(this.meters.get("eventfd.listener.retries").counter().count()).isEqualTo(1);
        assertThat(this.meters.get("eventfd.listener.given.up").counter().count()).isEqualTo(1);
        assertThat(this.meters.get("eventfd.listener.errors").counter().getId().getDescription()).isNotBlank();
    }
}
