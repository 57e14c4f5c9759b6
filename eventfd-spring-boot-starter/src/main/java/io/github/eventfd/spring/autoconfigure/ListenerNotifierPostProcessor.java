package io.github.eventfd.spring.autoconfigure;

import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
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

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (!(beanFactory instanceof BeanDefinitionRegistry definitions)) {
            throw new IllegalStateException("@EventFdListener notifiers need a BeanDefinitionRegistry but the bean "
                    + "factory is a " + beanFactory.getClass().getName());
        }
        this.registry = definitions;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Set<String> channels = EventFdNotifierRegistrar.listenerChannels(AopUtils.getTargetClass(bean));
        for (String channel : channels) {
            if (EventFdNotifierRegistrar.registerNotifier(this.registry, channel, true)) {
                logger.debug("Registered the notifier of eventfd channel '" + channel + "', named by an "
                        + "@EventFdListener method of bean '" + beanName + "' whose declared type did not show it");
            }
        }
        return bean;
    }
}
