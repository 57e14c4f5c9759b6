package io.github.eventfd.spring.actuate;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.FallbackPolicy;
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
    void whenDeliveryStartedThenDeliveringIsTrue() {
        this.lifecycle.start();
        try {
            assertThat(this.endpoint.channels().delivering()).isTrue();
        }
        finally {
            this.lifecycle.stop();
        }
    }
}
