package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerObserver;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.FallbackPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EventFdListenerFactory}: which methods it takes, and what it tells the registry and the observer. */
class EventFdListenerFactoryTests {

    private final EventFdChannelRegistry registry = new EventFdChannelRegistry(
            List.of(ChannelDefinition.withDefaults("orders")), new EventFdChannelFactory(FallbackPolicy.IN_MEMORY,
                    event -> { }));

    private final List<String> observed = new CopyOnWriteArrayList<>();

    private final EventFdListenerObserver observer = (channel, listener) -> {
        this.observed.add(channel + "/" + listener);
        return EventFdListenerObserver.Observation.NONE;
    };

    @AfterEach
    void close() {
        this.registry.destroy();
    }

    private EventFdListenerFactory factory(boolean withRegistry) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (withRegistry) {
            beans.addBean("registry", this.registry);
        }
        beans.addBean("observer", this.observer);
        return new EventFdListenerFactory(beans.getBeanProvider(EventFdChannelRegistry.class),
                beans.getBeanProvider(EventFdListenerObserver.class));
    }

    private static Method method(String name, Class<?>... parameterTypes) {
        Method method = ReflectionUtils.findMethod(Listeners.class, name, parameterTypes);
        assertThat(method).as(name).isNotNull();
        return method;
    }

    @Test
    void whenMethodIsAnnotatedThenItIsSupportedAndItsChannelIsTheValueOrDefault() {
        EventFdListenerFactory factory = factory(true);
        assertThat(factory.supportsMethod(method("onOrders", long.class))).isTrue();
        assertThat(factory.supportsMethod(method("notAListener"))).isFalse();
        assertThat(EventFdListenerFactory.channelOf(method("onOrders", long.class))).isEqualTo("orders");
        assertThat(EventFdListenerFactory.channelOf(method("onAlias"))).isEqualTo("audit");
        assertThat(EventFdListenerFactory.channelOf(method("onDefault"))).isEqualTo(ChannelDefinition.DEFAULT_CHANNEL);
    }

    @Test
    void whenListenerCreatedThenRegistryAndObserverKnowItByChannelAndName() {
        ApplicationListener<?> listener = factory(true).createApplicationListener("listeners", Listeners.class,
                method("onAlias"));
        assertThat(listener).isInstanceOf(EventFdListenerMethodAdapter.class);
        assertThat(this.registry.channel("audit").listeners()).containsExactly("Listeners.onAlias");
        assertThat(this.observed).containsExactly("audit/Listeners.onAlias");
    }

    @Test
    void whenOrderGivenThenTheListenerHasIt() {
        ApplicationListener<?> listener = factory(true).createApplicationListener("listeners", Listeners.class,
                method("onOrders", long.class));
        assertThat(((Ordered) listener).getOrder()).isEqualTo(7);
    }

    @Test
    void whenNoRegistryThenTheListenerIsStillCreated() {
        ApplicationListener<?> listener = factory(false).createApplicationListener("listeners", Listeners.class,
                method("onDefault"));
        assertThat(listener).isNotNull();
        assertThat(this.observed).containsExactly("default/Listeners.onDefault");
    }

    @Test
    void whenOrderedThenAheadOfTransactionalEventListenerFactory() {
        // TransactionalEventListenerFactory's order is 50: @EventFdListener must claim its methods first
        assertThat(factory(true).getOrder()).isEqualTo(EventFdListenerFactory.ORDER).isLessThan(50);
    }

    static class Listeners {

        @EventFdListener("orders")
        @Order(7)
        void onOrders(long count) {
        }

        @EventFdListener(channel = "audit")
        void onAlias() {
        }

        @EventFdListener
        void onDefault() {
        }

        void notAListener() {
        }
    }
}
