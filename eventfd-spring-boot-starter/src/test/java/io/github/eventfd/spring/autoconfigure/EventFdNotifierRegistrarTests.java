package io.github.eventfd.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.annotation.ListenerMethods;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactoryBean;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Which notifier beans exist, found from properties and listener methods; in-memory, so on any OS. */
class EventFdNotifierRegistrarTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=in-memory");

    @Test
    void whenListenerBeanDeclaresItsClassThenItsNotifierIsRegisteredBeforeAnyBeanIsCreated() {
        this.contextRunner.withBean(TestListeners.Undeclared.class).run(context -> {
            assertThat(context.getBeanFactory().containsBeanDefinition(
                    EventFdNotifierRegistrar.NOTIFIER_BEAN_PREFIX + "audit")).isTrue();
            assertThat(context.getBean(DeclaredChannels.class).names()).containsExactly("audit");
        });
    }

    @Test
    void whenBeanMethodReturnsAnInterfaceThenTheImplementationsChannelStillGetsAQualifiedNotifier() {
        this.contextRunner.withUserConfiguration(HiddenListenerConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            EventFdNotifier injected = context.getBean(NotifierUser.class).notifier;
            assertThat(injected.channel()).isEqualTo("x");
            assertThat(BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), EventFdNotifier.class,
                    "x")).isSameAs(injected);
            assertThat(context.getBean(EventFdChannelRegistry.class).channel("x").listeners())
                    .containsExactly("HiddenListener.onX");
            injected.signal(3);
            HiddenListener listener = (HiddenListener) context.getBean(Hidden.class);
            await().until(() -> listener.received.get() == 3);
        });
    }

    /**
     * A listener made by a factory bean of Spring's ({@code ProxyFactoryBean}): its declaring class is Spring's, but
     * the object it makes is the application's, so its channel still gets a qualified notifier once it is created.
     */
    @Test
    void whenASpringFactoryBeanMakesTheListenerThenItsChannelStillGetsANotifier() {
        this.contextRunner.withBean("proxied", ProxyFactoryBean.class, () -> {
            ProxyFactoryBean factory = new ProxyFactoryBean();
            factory.setTarget(new HiddenListener());
            factory.setProxyTargetClass(true);
            return factory;
        }).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(EventFdChannelRegistry.class).channel("x").listeners())
                    .containsExactly("HiddenListener.onX");
            assertThat(context.getBeanFactory().containsBeanDefinition(
                    EventFdNotifierRegistrar.NOTIFIER_BEAN_PREFIX + "x")).isTrue();
            assertThat(BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), EventFdNotifier.class,
                    "x").channel()).isEqualTo("x");
        });
    }

    @Test
    void whenAnApplicationsConfigurationIsNamedLikeTheStartersThenItsBeansAreStillSearched() {
        this.contextRunner.withUserConfiguration(EventFdOrdersAutoConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(NotifierUser.class).notifier.channel()).isEqualTo("x");
        });
    }

    @Test
    void theStartersOwnConfigurationsAreKnownByTheirExactNames() throws IOException {
        String imports;
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            imports = new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(imports.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")))
            .isNotEmpty()
            .allSatisfy(name -> assertThat(EventFdNotifierRegistrar.isStartersConfiguration(name)).as(name).isTrue())
            .allSatisfy(name -> assertThat(EventFdNotifierRegistrar.isStartersConfiguration(name + "$Nested"))
                .as(name).isTrue());
        assertThat(EventFdNotifierRegistrar.isStartersConfiguration(EventFdProperties.class.getName())).isTrue();
        assertThat(EventFdNotifierRegistrar.isStartersConfiguration(DeclaredChannels.class.getName())).isTrue();
        assertThat(EventFdNotifierRegistrar.isStartersConfiguration(EventFdOrdersAutoConfiguration.class.getName()))
            .isFalse();
    }

    @Test
    void aParentAndAChildContextEachFindTheirOwnListenersWithTheirOwnSearch() {
        this.contextRunner.withUserConfiguration(HiddenListenerConfiguration.class).run(parent -> new ApplicationContextRunner()
            .withParent(parent)
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=in-memory")
            .withBean(TestListeners.Undeclared.class)
            .run(child -> {
                assertThat(child).hasNotFailed();
                assertThat(child.getBean(DeclaredChannels.class).names()).containsExactly("audit");
                assertThat(parent.getBeanFactory().containsBeanDefinition(
                        EventFdNotifierRegistrar.NOTIFIER_BEAN_PREFIX + "x")).isTrue();
                assertThat(child.getBeanFactory().containsBeanDefinition(
                        EventFdNotifierRegistrar.NOTIFIER_BEAN_PREFIX + "x")).isFalse();
                assertThat(child.getBeanFactory().containsBeanDefinition(
                        EventFdNotifierRegistrar.NOTIFIER_BEAN_PREFIX + "audit")).isTrue();
                assertThat(parent.getBeanFactory().containsBeanDefinition(
                        EventFdNotifierRegistrar.NOTIFIER_BEAN_PREFIX + "audit")).isFalse();
                assertThat(child.getBeanFactory().getSingleton(ListenerMethods.BEAN_NAME))
                    .isInstanceOf(ListenerMethods.class)
                    .isNotSameAs(parent.getBeanFactory().getSingleton(ListenerMethods.BEAN_NAME));
            }));
    }

    @Test
    void whenTheContextClosesThenItsListenerSearchIsDropped() {
        AtomicReference<ConfigurableListableBeanFactory> beanFactory = new AtomicReference<>();
        this.contextRunner.withBean(TestListeners.Undeclared.class).run(context -> {
            beanFactory.set(context.getBeanFactory());
            assertThat(context.getBeanFactory().containsSingleton(ListenerMethods.BEAN_NAME)).isTrue();
        });
        assertThat(beanFactory.get().containsSingleton(ListenerMethods.BEAN_NAME)).isFalse();
    }

    @Test
    void whenNothingConfiguredOrListenedThenTheDefaultChannelHasTheOnlyNotifier() {
        this.contextRunner.run(context -> {
            assertThat(context).hasSingleBean(EventFdNotifier.class);
            assertThat(context.getBean(EventFdNotifier.class).channel()).isEqualTo("default");
        });
    }

    /** A type without listener methods, as a {@code @Bean} method declares it. */
    interface Hidden {
    }

    /** The implementation behind {@link Hidden}: its listener is invisible in the declared type. */
    static class HiddenListener implements Hidden {

        final AtomicLong received = new AtomicLong();

        @EventFdListener("x")
        void onX(long count) {
            this.received.addAndGet(count);
        }
    }

    /** Injects the notifier of "x" by qualifier. */
    static class NotifierUser {

        final EventFdNotifier notifier;

        NotifierUser(EventFdNotifier notifier) {
            this.notifier = notifier;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HiddenListenerConfiguration {

        @Bean
        Hidden hidden() {
            return new HiddenListener();
        }

        @Bean
        NotifierUser notifierUser(@Qualifier("x") EventFdNotifier x) {
            return new NotifierUser(x);
        }
    }
}
