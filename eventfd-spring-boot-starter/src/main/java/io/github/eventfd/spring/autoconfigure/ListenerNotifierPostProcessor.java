package io.github.eventfd.spring.autoconfigure;

import java.util.Set;

import io.github.eventfd.spring.annotation.ListenerMethods;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;

/**
 * Registers the notifier bean of a channel named by an {@code @EventFdListener} method that
 * {@link EventFdNotifierRegistrar} could not see before the bean was created: one whose {@code @Bean} method
 * declares an interface or a supertype. Beans created after it can inject the notifier by
 * {@code @Qualifier}.
 */
final class ListenerNotifierPostProcessor implements BeanPostProcessor, BeanFactoryAware {

    private static final Log logger = LogFactory.getLog(ListenerNotifierPostProcessor.class);

    @SuppressWarnings("NullAway.Init") // set by Spring before any bean is post-processed
    private BeanDefinitionRegistry registry;

    @SuppressWarnings("NullAway.Init") // set by Spring with the registry: the same bean factory
    private ConfigurableListableBeanFactory beanFactory;

    @SuppressWarnings("NullAway.Init") // set with the registry: the bean factory's, shared with the other searches
    private ListenerMethods listenerMethods;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (!(beanFactory instanceof BeanDefinitionRegistry definitions)
                || !(beanFactory instanceof ConfigurableListableBeanFactory listable)) {
            throw new IllegalStateException("@EventFdListener notifiers need a BeanDefinitionRegistry and "
                    + "ConfigurableListableBeanFactory but the bean factory is a " + beanFactory.getClass().getName());
        }
        this.registry = definitions;
        this.beanFactory = listable;
        this.listenerMethods = ListenerMethods.of(listable);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (EventFdNotifierRegistrar.isSpringsOrStartersOwn(this.registry, beanName) && !isFactoryBean(beanName)) {
            return bean;
        }
        Set<String> channels = this.listenerMethods.channelsOf(type);
        for (String channel : channels) {
            if (EventFdNotifierRegistrar.registerNotifier(this.registry, channel, true)) {
                logger.debug("Registered the notifier of eventfd channel '" + channel + "', named by an "
                        + "@EventFdListener method of bean '" + beanName + "' whose declared type did not show it");
            }
        }
        return bean;
    }

    /**
     * Whether a bean is made by a factory bean: one of Spring's (a {@code ProxyFactoryBean}, a scoped proxy) makes
     * the application's objects, so what it makes is searched although Spring declared it.
     */
    private boolean isFactoryBean(String beanName) {
        try {
            return this.beanFactory.isFactoryBean(beanName);
        }
        catch (RuntimeException ex) {
            return false;
        }
    }
}
