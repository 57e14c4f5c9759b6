package io.github.eventfd.spring.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The search for listener methods that the starter's three parts share: what it finds, and that one search per
 * class serves them all.
 */
class ListenerMethodsTests {

    @Test
    void findsMethodsDeclaredOnTheClassItsSuperclassAndItsInterfacesAndThroughMetaAnnotations() {
        ListenerMethods methods = ListenerMethods.of(new DefaultListableBeanFactory());
        assertThat(methods.methodsOf(Listening.class).keySet()).extracting(Method::getName)
                .containsExactlyInAnyOrder("own", "inherited", "fromInterface", "composed");
        assertThat(methods.channelsOf(Listening.class)).containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void searchesEachClassOnceAndFindsNothingInTheJdksOrSpringsClasses() {
        ListenerMethods methods = ListenerMethods.of(new DefaultListableBeanFactory());
        Map<Method, EventFdListener> first = methods.methodsOf(Listening.class);
        assertThat(methods.methodsOf(Listening.class)).isSameAs(first);
        assertThat(methods.methodsOf(ConcurrentHashMap.class)).isEmpty();
        assertThat(methods.methodsOf(GenericApplicationContext.class)).isEmpty();
        assertThat(methods.methodsOf(Object.class)).isEmpty();
    }

    @Test
    void aChannelNameThatIsNotAllowedIsRefusedNamingTheMethod() {
        ListenerMethods methods = ListenerMethods.of(new DefaultListableBeanFactory());
        assertThatExceptionOfType(InvalidEventFdListenerException.class)
                .isThrownBy(() -> methods.channelsOf(BadName.class))
                .withMessageContaining("onBad").withMessageContaining("bad name");
    }

    @Test
    void oneInstancePerBeanFactoryRegisteredInIt() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        ListenerMethods methods = ListenerMethods.of(beanFactory);
        assertThat(ListenerMethods.of(beanFactory)).isSameAs(methods);
        assertThat(beanFactory.getSingleton(ListenerMethods.BEAN_NAME)).isSameAs(methods);
        assertThat(ListenerMethods.of(new DefaultListableBeanFactory())).isNotSameAs(methods);
    }

    @Test
    void theStartersSearchesBeforeDuringAndAfterCreationShareOneInstanceThatHasSearchedTheListeners() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
                .withPropertyValues("eventfd.fallback=in-memory").withBean(TestListeners.Orders.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ListenerMethods shared = (ListenerMethods) context.getBean(ListenerMethods.BEAN_NAME);
                    assertThat(ListenerMethods.of(context.getBeanFactory())).isSameAs(shared);
                    // searched before any bean existed, and the map is the one the processor then used
                    assertThat(shared.methodsOf(TestListeners.Orders.class)).isNotEmpty()
                            .isSameAs(shared.methodsOf(TestListeners.Orders.class));
                    assertThat(context.getBean(io.github.eventfd.spring.EventFdChannelRegistry.class)
                            .channel("orders").listeners()).isNotEmpty();
                });
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @EventFdListener("d")
    @interface OnD {
    }

    interface WithListener {

        @EventFdListener("c")
        void fromInterface();
    }

    static class Base {

        @EventFdListener("b")
        void inherited() {
        }
    }

    static class Listening extends Base implements WithListener {

        @EventFdListener("a")
        void own() {
        }

        @Override
        public void fromInterface() {
        }

        @OnD
        void composed() {
        }

        void notAListener() {
        }
    }

    static class BadName {

        @EventFdListener("bad name")
        void onBad() {
        }
    }
}
