package io.github.eventfd.spring;

import java.util.List;

import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.FallbackPolicy;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The registry's channels as an application sees them, for each implementation. */
@EnabledOnOs(OS.LINUX)
class EventFdChannelRegistryTests {

    @ParameterizedTest
    @EnumSource(value = FallbackPolicy.class, names = { "IN_MEMORY", "FAIL" })
    void whenTheRegistryIsDestroyedThenEveryCallOnAChannelNamesTheChannel(FallbackPolicy fallback) {
        EventFdChannelRegistry registry = new EventFdChannelRegistry(List.of(ChannelDefinition.withDefaults("orders")),
                new EventFdChannelFactory(fallback, event -> { }));
        EventFdChannel orders = registry.channel("orders");
        registry.destroy();
        assertThatIllegalStateException().isThrownBy(orders::signal).withMessage("eventfd channel 'orders' is closed");
        assertThatIllegalStateException().isThrownBy(() -> orders.signal(2))
                .withMessage("eventfd channel 'orders' is closed");
        assertThatIllegalStateException().isThrownBy(orders::pendingCount)
                .withMessage("eventfd channel 'orders' is closed");
    }
}
