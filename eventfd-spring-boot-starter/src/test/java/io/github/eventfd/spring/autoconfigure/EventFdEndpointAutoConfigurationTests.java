package io.github.eventfd.spring.autoconfigure;

import java.math.BigInteger;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.actuate.EventFdEndpoint;
import io.github.eventfd.spring.actuate.EventFdEndpointWebExtension;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link EventFdEndpointAutoConfiguration}: the {@code eventfd} endpoint exists only when it is exposed. */
class EventFdEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                    EventFdEndpointAutoConfiguration.class, EndpointAutoConfiguration.class));

    @Test
    void whenEndpointNotExposedThenNoBean() {
        this.contextRunner.run(context -> assertThat(context).doesNotHaveBean(EventFdEndpoint.class));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenEndpointExposedThenItListsAndSignalsChannels() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventfd",
                "eventfd.channels.orders.initial-value=2").run(context -> {
                    EventFdEndpoint endpoint = context.getBean(EventFdEndpoint.class);
                    assertThat(endpoint.channels().channels()).containsOnlyKeys("orders");
                    assertThat(endpoint.channel("missing")).isNull();
                    assertThat(endpoint.signal("missing", 1L, null)).isNull();
                    EventFdEndpoint.ChannelDescriptor after = endpoint.signal("orders", 5L, null);
                    assertThat(after.sent()).isEqualTo(BigInteger.valueOf(5));
                    await().until(() -> endpoint.channel("orders").received().equals(BigInteger.valueOf(7)));
                    assertThat(endpoint.channel("orders").fd()).isNotNegative();
                });
    }

    @Test
    void whenExposedOverTheWebThenTheWebExtensionAnswersForTheEndpointAndOverJmxOnlyThenNot() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventfd")
                .run(context -> assertThat(context).hasSingleBean(EventFdEndpoint.class)
                        .hasSingleBean(EventFdEndpointWebExtension.class));
        this.contextRunner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=eventfd")
                .run(context -> assertThat(context).hasSingleBean(EventFdEndpoint.class)
                        .doesNotHaveBean(EventFdEndpointWebExtension.class));
    }

    @Test
    void whenActuatorMissingThenNoEndpoint() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        EventFdEndpointAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                        "org.springframework.boot.health"))
                .withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> assertThat(context).hasSingleBean(EventFdChannelRegistry.class)
                        .doesNotHaveBean(EventFdEndpoint.class));
    }

    @Test
    void whenUserDefinesTheEndpointThenItIsUsed() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventfd")
                .withUserConfiguration(MyEndpointConfiguration.class)
                .run(context -> assertThat(context).hasSingleBean(EventFdEndpoint.class).hasBean("myEndpoint"));
    }

    @Configuration(proxyBeanMethods = false)
    static class MyEndpointConfiguration {

        @Bean
        EventFdEndpoint myEndpoint(EventFdChannelRegistry registry, EventFdChannelLifecycle lifecycle) {
            return new EventFdEndpoint(registry, lifecycle);
        }
    }
}
