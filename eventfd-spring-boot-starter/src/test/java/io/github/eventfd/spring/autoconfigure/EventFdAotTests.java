package io.github.eventfd.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.spring.AheadOfTime;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.channel.ChannelDefinition;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Ahead-of-time processing of an application with the starter, and the application started from the generated
 * code as {@code -Dspring.aot.enabled=true} starts it: channels from properties and listeners come out as in a
 * regular run. In-memory, so on any OS.
 */
class EventFdAotTests {

    private static final String[] PROPERTIES = { "eventfd.fallback=in-memory", "eventfd.channels.orders.mode=semaphore",
            "eventfd.channels.orders.dispatch=inline", "eventfd.channels[config.changed].signal-timing=immediate" };

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withUserConfiguration(ListenerConfiguration.class).withPropertyValues(PROPERTIES);

    @Test
    void whenProcessedAheadOfTimeThenTheRegistrarIsLeftOutOfTheGeneratedCode() {
        AheadOfTime processed = process(this.contextRunner);
        try (GenericApplicationContext context = processed.start(PROPERTIES)) {
            assertThat(context.getBeanNamesForType(EventFdNotifierRegistrar.class)).isEmpty();
            assertThat(context.getBeanNamesForType(DeclaredChannels.class)).hasSize(1);
        }
    }

    @Test
    void whenStartedFromGeneratedCodeThenChannelsAndNotifiersAreThoseOfARegularRun() {
        Map<String, ChannelDefinition> regular = new LinkedHashMap<>();
        this.contextRunner.run(context -> regular.putAll(definitions(context)));
        assertThat(regular).containsOnlyKeys("orders", "config.changed", "audit");
        try (GenericApplicationContext context = process(this.contextRunner).start(PROPERTIES)) {
            assertThat(definitions(context)).containsExactlyEntriesOf(regular);
            assertThat(context.getBean(NotifierUser.class).orders.channel()).isEqualTo("orders");
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            assertThat(registry.channel("audit").listeners()).containsExactly("Listener.onAudit");
            assertThat(registry.channel("orders").listeners()).containsExactly("Listener.onOrders");
        }
    }

    @Test
    void whenStartedFromGeneratedCodeThenListenersAreCalled() {
        try (GenericApplicationContext context = process(this.contextRunner).start(PROPERTIES)) {
            Listener listener = context.getBean(Listener.class);
            context.getBean(NotifierUser.class).orders.signal(2);
            context.getBean(EventFdChannelRegistry.class).channel("audit").signal(5);
            // semaphore mode: one unit per delivery
            await().until(() -> listener.orders.get() == 2 && listener.audit.get() == 5);
        }
    }

    @Test
    void whenRunTimePropertiesDifferThenChannelSettingsAndConfiguredChannelsFollowThem() {
        AheadOfTime processed = process(this.contextRunner);
        try (GenericApplicationContext context = processed.start("eventfd.fallback=in-memory",
                "eventfd.channels.orders.mode=counter", "eventfd.channels.extra.mode=semaphore")) {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            assertThat(registry.channel("orders").mode()).isEqualTo(EventFdMode.COUNTER);
            assertThat(registry.channel("extra").mode()).isEqualTo(EventFdMode.SEMAPHORE);
            // channels known at build time stay: their notifier beans are in the generated code
            assertThat(registry.find("config.changed")).isPresent();
        }
    }

    @Test
    void whenAChannelIsBridgedOnlyAtRunTimeThenStartupFailsNamingItsPropertyInsteadOfLeavingItLocal() {
        // processed without a bridged channel: the bridge's beans are left out of the generated code, and a bridge
        // set when the application starts cannot be honoured; it must not be ignored in silence
        AheadOfTime processed = process(this.contextRunner);
        assertThatThrownBy(() -> processed.start("eventfd.fallback=in-memory", "eventfd.channels.orders.bridge=redis")
            .close()).satisfies(ex -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex))
                .isInstanceOfSatisfying(InvalidEventFdPropertyException.class,
                        invalid -> assertThat(invalid.getProperty()).isEqualTo("eventfd.channels.orders.bridge")));
    }

    @Test
    void whenProcessedThenListenerMethodsAreRegisteredForReflection() {
        AheadOfTime processed = process(this.contextRunner);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listener.class, "onOrders"))
            .accepts(processed.hints());
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listener.class, "onAudit"))
            .accepts(processed.hints());
    }

    private static AheadOfTime process(ApplicationContextRunner runner) {
        AtomicReference<AheadOfTime> processed = new AtomicReference<>();
        runner.prepare(context -> processed.set(AheadOfTime.process(
                context.getSourceApplicationContext(GenericApplicationContext.class), EventFdAotTests.class)));
        return processed.get();
    }

    private static Map<String, ChannelDefinition> definitions(ConfigurableApplicationContext context) {
        Map<String, ChannelDefinition> definitions = new LinkedHashMap<>();
        for (EventFdChannel channel : context.getBean(EventFdChannelRegistry.class).channels()) {
            definitions.put(channel.channel(), channel.definition());
        }
        return definitions;
    }

    /** Listens to a configured channel and to one that only it names. */
    static class Listener {

        final AtomicLong orders = new AtomicLong();

        final AtomicLong audit = new AtomicLong();

        @EventFdListener("orders")
        void onOrders(long count) {
            this.orders.addAndGet(count);
        }

        @EventFdListener("audit")
        void onAudit(long count) {
            this.audit.addAndGet(count);
        }
    }

    /** Injects a notifier by qualifier. */
    static class NotifierUser {

        final EventFdNotifier orders;

        NotifierUser(EventFdNotifier orders) {
            this.orders = orders;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenerConfiguration {

        @Bean
        Listener listener() {
            return new Listener();
        }

        @Bean
        NotifierUser notifierUser(@Qualifier("orders") EventFdNotifier orders) {
            return new NotifierUser(orders);
        }
    }
}
