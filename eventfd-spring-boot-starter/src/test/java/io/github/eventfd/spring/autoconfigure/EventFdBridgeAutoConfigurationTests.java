package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.FallbackPolicy;
import io.github.eventfd.spring.actuate.EventFdEndpoint;
import io.github.eventfd.spring.bridge.BridgeMode;
import io.github.eventfd.spring.bridge.redis.RedisBridge;
import java.util.List;
import java.util.Map;

import io.github.eventfd.spring.bridge.BridgedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.eventfd.spring.health.EventFdBridgeHealthIndicator;
import io.github.eventfd.spring.metrics.EventFdBridgeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge auto-configuration with and without Spring Data Redis; no Redis server is needed here. */
class EventFdBridgeAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdRedisBridgeAutoConfiguration.class, DataRedisAutoConfiguration.class));

    @Test
    void whenSpringDataRedisIsMissingThenTheRedisBridgeBacksOffAndUnbridgedChannelsStart() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
                .withPropertyValues("eventfd.channels.orders.mode=counter").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(RedisBridge.class);
                    assertThat(context).doesNotHaveBean(ChannelBridgeAttacher.class);
                });
    }

    @Test
    void whenAChannelAsksForRedisWithoutSpringDataRedisThenStartupFailsNamingTheProperty() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
                .withPropertyValues("eventfd.channels.orders.bridge=redis").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).isInstanceOf(InvalidEventFdPropertyException.class)
                            .hasMessageContaining("'eventfd.channels.orders.bridge' asks for the redis bridge");
                    FailureAnalysis analysis = new InvalidEventFdPropertyFailureAnalyzer(new org.springframework.core.env.StandardEnvironment())
                            .analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("eventfd.channels.orders.bridge").contains("redis");
                    assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis")
                            .contains("eventfd.channels.orders.bridge=none");
                });
    }

    /**
     * The bridge's health and meters come after the auto-configuration that declares the Redis bridge, whatever
     * order the auto-configurations are listed in: their {@code @ConditionalOnBean(Bridge.class)} sees it. (Boot's
     * metrics auto-configuration, which binds meter binders, is left out: the binder is bound here.)
     */
    @Test
    void whenAChannelIsBridgedToRedisThenTheBridgeHasItsHealthIndicatorAndMeters() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdBridgeHealthContributorAutoConfiguration.class,
                    EventFdBridgeMetricsAutoConfiguration.class, EventFdAutoConfiguration.class,
                        EventFdRedisBridgeAutoConfiguration.class,
                    DataRedisAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            // nothing listens there: the bridge only tries to connect
            .withPropertyValues("eventfd.channels.orders.bridge=redis", "spring.data.redis.port=1")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(RedisBridge.class);
                assertThat(context).hasSingleBean(EventFdBridgeHealthIndicator.class);
                assertThat(context).hasSingleBean(EventFdBridgeMetrics.class);
                context.getBean(EventFdBridgeMetrics.class).bindTo(context.getBean(MeterRegistry.class));
                assertThat(context.getBean(MeterRegistry.class).find("eventfd.bridge.outage").meter()).isNotNull();
            });
    }

    @Test
    void whenNoBridgeIsMadeThenThereIsNoBridgeHealthIndicatorNorMeters() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdBridgeHealthContributorAutoConfiguration.class,
                    EventFdBridgeMetricsAutoConfiguration.class, EventFdAutoConfiguration.class,
                    EventFdRedisBridgeAutoConfiguration.class, DataRedisAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class).withPropertyValues("spring.data.redis.port=1");
        // Redis at hand and no channel bridged; a channel bridged with the starter turned off
        runner.withPropertyValues("eventfd.channels.orders.mode=counter").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(RedisBridge.class).doesNotHaveBean(ChannelBridgeAttacher.class)
                .doesNotHaveBean(EventFdBridgeHealthIndicator.class).doesNotHaveBean(EventFdBridgeMetrics.class);
        });
        runner.withPropertyValues("eventfd.enabled=false", "eventfd.channels.orders.bridge=redis").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(RedisBridge.class).doesNotHaveBean(ChannelBridgeAttacher.class)
                .doesNotHaveBean(EventFdBridgeHealthIndicator.class).doesNotHaveBean(EventFdBridgeMetrics.class);
        });
    }

    @Test
    void whenTheApplicationDefinesItsOwnRegistryThenItsBridgedChannelIsAttached() {
        this.contextRunner.withBean("myRegistry", EventFdChannelRegistry.class,
                () -> new EventFdChannelRegistry(List.of(ChannelDefinition.withDefaults("orders")),
                        new EventFdChannelFactory(FallbackPolicy.IN_MEMORY, event -> { })))
            .withPropertyValues("eventfd.channels.orders.bridge=redis", "spring.data.redis.port=1").run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(RedisBridge.class).channels()).singleElement()
                    .satisfies(channel -> assertThat(channel.name()).isEqualTo("orders"));
            });
    }

    @Test
    void whenSpringDataRedisIsPresentThenABridgedChannelIsAttachedToTheRedisBridge() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.bridge=redis",
                "eventfd.channels.orders.share.kind=broadcast", "eventfd.bridge.host-id=host-a",
                "eventfd.bridge.redis.flush-interval=20ms", "eventfd.bridge.redis.channel-prefix=app:",
                // nothing listens there: the bridge only tries to connect
                "spring.data.redis.port=1").run(context -> {
                    assertThat(context).hasNotFailed();
                    RedisBridge bridge = context.getBean(RedisBridge.class);
                    assertThat(bridge.channels()).singleElement().satisfies(channel -> {
                        assertThat(channel.name()).isEqualTo("orders");
                        assertThat(channel.host()).isEqualTo("host-a");
                        assertThat(channel.mode()).hasToString("BROADCAST");
                    });
                });
    }

    @Test
    void whenAChildContextSharesTheBridgedChannelsOfItsParentThenItStartsAndTheChannelIsBridgedOnce() {
        String[] properties = { "eventfd.channels.orders.bridge=redis", "eventfd.bridge.host-id=host-a",
                // nothing listens there: the bridge only tries to connect
                "spring.data.redis.port=1" };
        this.contextRunner.withPropertyValues(properties).run(parent -> {
            assertThat(parent).hasNotFailed();
            // a child has the parent's environment (SpringApplicationBuilder.child) and the starter on its class
            // path: the channels, and what attaches them to the bridge, are the parent's
            this.contextRunner.withParent(parent).withPropertyValues(properties).run(child -> {
                assertThat(child).hasNotFailed();
                assertThat(child.getBean(EventFdChannelRegistry.class))
                    .isSameAs(parent.getBean(EventFdChannelRegistry.class));
                assertThat(parent.getBean(RedisBridge.class).channels()).singleElement()
                    .satisfies(channel -> assertThat(channel.name()).isEqualTo("orders"));
            });
        });
    }

    @Test
    void whenNoChannelIsBridgedThenThereIsNoRedisBridgeEvenWithRedisAtHand() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=counter",
                "eventfd.channels.audit.bridge=none", "spring.data.redis.port=1").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(RedisConnectionFactory.class);
                    assertThat(context).doesNotHaveBean(RedisBridge.class);
                    // nor is the bridge configuration processed: no attacher, whose class loading and bean a start
                    // without a bridged channel does not pay for
                    assertThat(context).doesNotHaveBean(ChannelBridgeAttacher.class);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = { "eventfd.channels.orders.bridge=REDIS", "eventfd.channels[orders].bridge=redis",
            "eventfd.channels.orders.bridge=redis" })
    void whenAnyChannelAsksForRedisInAnyRelaxedFormThenTheRedisBridgeIsMadeAndCarriesIt(String property) {
        this.contextRunner.withPropertyValues(property, "eventfd.channels.audit.mode=counter", "spring.data.redis.port=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(RedisBridge.class).channels()).extracting(BridgedChannel::name)
                            .containsExactly("orders");
                });
    }

    @Test
    void whenAChannelAsksForRedisThroughAnEnvironmentVariableThenTheRedisBridgeIsMade() {
        this.contextRunner.withPropertyValues("spring.data.redis.port=1")
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment",
                                Map.of("EVENTFD_CHANNELS_ORDERS_BRIDGE", "redis"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(RedisBridge.class).channels()).extracting(BridgedChannel::name)
                            .containsExactly("orders");
                });
    }

    @Test
    void whenAChannelIsBridgedThenTheEndpointShowsTheBridgeAndItsChannel() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(EventFdEndpointAutoConfiguration.class,
                EndpointAutoConfiguration.class))
                .withPropertyValues("eventfd.channels.orders.bridge=redis", "spring.data.redis.port=1",
                        "management.endpoints.web.exposure.include=eventfd")
                .run(context -> {
                    EventFdEndpoint.ChannelsDescriptor described = context.getBean(EventFdEndpoint.class).channels();
                    assertThat(described.bridges()).containsOnlyKeys("redis");
                    assertThat(described.bridges().get("redis").channels()).containsOnlyKeys("orders");
                    assertThat(described.bridges().get("redis").channels().get("orders")).containsEntry("mode",
                            BridgeMode.QUEUE).containsEntry("bridgesHere", true);
                });
    }

    @Test
    void whenABridgeSettingIsMisspelledOrOutOfRangeThenStartupFailsNamingIt() {
        this.contextRunner.withPropertyValues("eventfd.bridge.redis.flush-intervall=5ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.contains("flush-intervall"));
        });
        this.contextRunner.withPropertyValues("eventfd.bridge.redis.claim-batch=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("must be 1 or more but was 0");
        });
        this.contextRunner.withPropertyValues("eventfd.bridge.host-id=two words").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.contains("host-id"));
        });
        this.contextRunner.withPropertyValues("eventfd.channels.orders.bridge=kafka").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.contains("eventfd.channels.orders.bridge"));
        });
    }

    @Test
    void whenABridgeDurationIsTooLongToCountInNanosecondsThenStartupFailsNamingIt() {
        for (String property : new String[] { "timeout", "flush-interval" }) {
            this.contextRunner.withPropertyValues("eventfd.channels.orders.bridge=redis", "spring.data.redis.port=1",
                    "eventfd.bridge.redis." + property + "=200000d").run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.contains("eventfd.bridge.redis"))
                                .anyMatch(m -> m.equals("Unable to set value for property " + property));
                        assertThat(context.getStartupFailure()).rootCause().hasMessage(
                                "must be positive and at most 1d but was PT4800000H");
                    });
        }
    }

    private static java.util.List<String> messages(Throwable failure) {
        java.util.List<String> messages = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
