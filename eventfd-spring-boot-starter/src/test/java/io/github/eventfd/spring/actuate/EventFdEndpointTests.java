package io.github.eventfd.spring.actuate;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.ChannelListener;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.FallbackPolicy;
import io.github.eventfd.spring.channel.ListenerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The endpoint over in-memory channels that nothing delivers: counts stay pending, on any OS. */
class EventFdEndpointTests {

    private final EventFdChannelRegistry registry = new EventFdChannelRegistry(
            List.of(ChannelDefinition.withDefaults("orders")), new EventFdChannelFactory(FallbackPolicy.IN_MEMORY,
                    event -> { }));

    private final EventFdChannelLifecycle lifecycle = new EventFdChannelLifecycle(this.registry,
            new EventFdChannelLifecycle.Settings("test-poller", 8, Duration.ofSeconds(1)), Runnable::run);

    private final EventFdEndpoint endpoint = new EventFdEndpoint(this.registry, this.lifecycle);

    @AfterEach
    void close() {
        this.registry.destroy();
    }

    @Test
    void whenReadThenDescriptorsAreOperationResponseBodiesAsBootsEndpointsReturn() {
        EventFdEndpoint.ChannelsDescriptor all = this.endpoint.channels();
        assertThat(all).isInstanceOf(OperationResponseBody.class);
        assertThat(all.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
        assertThat(all.delivering()).isFalse();
        assertThat(all.channels()).containsOnlyKeys("orders");
        assertThat(this.endpoint.channel("orders")).isInstanceOf(OperationResponseBody.class);
    }

    @Test
    void whenSignalledThroughTheEndpointThenSentAndPendingShowItAndAMissingChannelIsNull() {
        EventFdEndpoint.ChannelDescriptor after = this.endpoint.signal("orders", 4L, null);
        assertThat(after.sent()).isEqualTo(BigInteger.valueOf(4));
        assertThat(after.pending()).isEqualTo(BigInteger.valueOf(4));
        assertThat(after.fd()).isEqualTo(-1);
        assertThat(this.endpoint.signal("orders", null, null).sent()).isEqualTo(BigInteger.valueOf(5));
        assertThat(this.endpoint.signal("missing", 1L, null)).isNull();
        assertThat(this.endpoint.channel("missing")).isNull();
    }

    @Test
    void whenTheCountIsOutOfRangeThenTheRequestIsInvalidNamingCountAndNothingIsSignalled() {
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> this.endpoint.signal("orders", 0L, null))
                .withMessage("'count' must be between 1 and 9223372036854775807 but was 0")
                .satisfies(ex -> assertThat(ex.getReason()).isEqualTo(ex.getMessage()));
        assertThat(this.endpoint.channel("orders").sent()).isEqualTo(BigInteger.ZERO);
    }

    @Test
    void whenSignalledOverTheWebThenAnUnknownChannelIs404AndABadCount400WithTheReason() {
        EventFdEndpointWebExtension web = new EventFdEndpointWebExtension(this.endpoint);
        WebEndpointResponse<Object> unknown = web.signal("missing", 1L, null);
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(unknown.getBody()).isEqualTo(Map.of("error", "no eventfd channel 'missing'; the channels are [orders]"));
        WebEndpointResponse<Object> refused = web.signal("orders", -1L, null);
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getBody())
                .isEqualTo(Map.of("error", "'count' must be between 1 and 9223372036854775807 but was -1"));
        WebEndpointResponse<Object> signalled = web.signal("orders", 3L, null);
        assertThat(signalled.getStatus()).isEqualTo(200);
        assertThat(signalled.getBody()).isInstanceOfSatisfying(EventFdEndpoint.ChannelDescriptor.class,
                descriptor -> assertThat(descriptor.sent()).isEqualTo(BigInteger.valueOf(3)));
    }

    @Test
    void whenAChannelIsPausedAndResumedThroughTheEndpointThenItsStateShowsItAndBadActionsAre400() {
        EventFdEndpointWebExtension web = new EventFdEndpointWebExtension(this.endpoint);
        WebEndpointResponse<Object> paused = web.signal("orders", null, "pause");
        assertThat(paused.getStatus()).isEqualTo(200);
        assertThat(paused.getBody()).isInstanceOfSatisfying(EventFdEndpoint.ChannelDescriptor.class,
                descriptor -> assertThat(descriptor.paused()).isTrue());
        assertThat(this.registry.channel("orders").isPaused()).isTrue();
        assertThat(this.endpoint.channel("orders").sent()).isEqualTo(BigInteger.ZERO);
        assertThat(web.signal("orders", null, "RESUME").getStatus()).isEqualTo(200);
        assertThat(this.registry.channel("orders").isPaused()).isFalse();
        WebEndpointResponse<Object> unknown = web.signal("orders", null, "stop");
        assertThat(unknown.getStatus()).isEqualTo(400);
        assertThat(unknown.getBody()).isEqualTo(Map.of("error", "'action' must be pause or resume but was 'stop'"));
        assertThat(web.signal("orders", 2L, "pause").getStatus()).isEqualTo(400);
        assertThat(this.registry.channel("orders").isPaused()).isFalse();
        assertThat(web.signal("missing", null, "pause").getStatus()).isEqualTo(404);
    }

    @Test
    void whenAListenerIsStoppedAndStartedThroughTheEndpointThenItsStateShowsItAndUnknownsAre404Or400() {
        this.registry.registerListener("orders", new NamedListener("Billing.onOrders"),
                new ListenerSettings(List.of(), failure -> { }, true));
        EventFdEndpointWebExtension web = new EventFdEndpointWebExtension(this.endpoint);
        assertThat(this.endpoint.channel("orders").listeners()).containsExactly(
                Map.entry("Billing.onOrders", new EventFdEndpoint.ListenerDescriptor(true)));
        WebEndpointResponse<Object> stopped = web.listener("orders", "Billing.onOrders", "stop");
        assertThat(stopped.getStatus()).isEqualTo(200);
        assertThat(stopped.getBody()).isEqualTo(new EventFdEndpoint.ListenerDescriptor(false));
        assertThat(this.registry.listener("Billing.onOrders").orElseThrow().isRunning()).isFalse();
        assertThat(this.endpoint.listener("orders", "Billing.onOrders")).isEqualTo(
                new EventFdEndpoint.ListenerDescriptor(false));
        assertThat(web.listener("orders", "Billing.onOrders", "start").getBody()).isEqualTo(
                new EventFdEndpoint.ListenerDescriptor(true));
        WebEndpointResponse<Object> missing = web.listener("orders", "nope", "stop");
        assertThat(missing.getStatus()).isEqualTo(404);
        assertThat(missing.getBody()).isEqualTo(Map.of("error", "no listener 'nope' on eventfd channel 'orders'; "
                + "its listeners are [Billing.onOrders]"));
        assertThat(web.listener("missing", "Billing.onOrders", "stop").getStatus()).isEqualTo(404);
        WebEndpointResponse<Object> unknown = web.listener("orders", "Billing.onOrders", "pause");
        assertThat(unknown.getStatus()).isEqualTo(400);
        assertThat(unknown.getBody().toString()).contains("'action' must be stop or start but was 'pause'");
        assertThat(this.endpoint.listener("orders", "nope")).isNull();
    }

    @Test
    void whenDeliveryStartedThenDeliveringIsTrue() {
        this.lifecycle.start();
        try {
            assertThat(this.endpoint.channels().delivering()).isTrue();
        }
        finally {
            this.lifecycle.stop();
        }
    }

    /** A listener that does nothing, by name. */
    private record NamedListener(String name) implements ChannelListener {

        @Override
        public int order() {
            return 0;
        }

        @Override
        public boolean receivesResyncs() {
            return false;
        }

        @Override
        public boolean onEvent(EventFdChannelEvent event) {
            return true;
        }
    }
}
