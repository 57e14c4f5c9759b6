package io.github.eventfd.spring.actuate;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.FallbackPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import static org.assertj.core.api.Assertions.assertThat;

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
        EventFdEndpoint.ChannelDescriptor after = this.endpoint.signal("orders", 4L);
        assertThat(after.sent()).isEqualTo(BigInteger.valueOf(4));
        assertThat(after.pending()).isEqualTo(BigInteger.valueOf(4));
        assertThat(after.fd()).isEqualTo(-1);
        assertThat(this.endpoint.signal("orders", null).sent()).isEqualTo(BigInteger.valueOf(5));
        assertThat(this.endpoint.signal("missing", 1L)).isNull();
        assertThat(this.endpoint.channel("missing")).isNull();
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
