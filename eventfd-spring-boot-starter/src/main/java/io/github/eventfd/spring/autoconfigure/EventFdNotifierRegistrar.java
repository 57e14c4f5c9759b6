package io.github.eventfd.spring.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.annotation.EventFdListenerFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Registers one {@link EventFdNotifier} bean per channel, qualified by the channel name, for the channels
 * configured under {@code eventfd.channels} and those named by {@code @EventFdListener} methods of the
 * application's beans (or {@code default} when there are none).
 */
final class EventFdNotifierRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware,
        BeanClassLoaderAware {

    static final String NOTIFIER_BEAN_PREFIX = "eventFdNotifier.";

    @SuppressWarnings("NullAway.Init") // set by Spring before the registry is post-processed
    private Environment environment;

    private @Nullable ClassLoader classLoader = ClassUtils.getDefaultClassLoader();

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        Set<String> names = new LinkedHashSet<>(configuredChannels());
        names.addAll(listenerChannels(registry));
        if (names.isEmpty()) {
            names.add(ChannelDefinition.DEFAULT_CHANNEL);
        }
        DeclaredChannels declared = new DeclaredChannels(Collections.unmodifiableSet(names));
        RootBeanDefinition declaredDefinition = new RootBeanDefinition(DeclaredChannels.class, () -> declared);
        registry.registerBeanDefinition(DeclaredChannels.class.getName(), declaredDefinition);
        BeanFactory beanFactory = (BeanFactory) registry;
        for (String name : names) {
            String beanName = NOTIFIER_BEAN_PREFIX + name;
            if (registry.containsBeanDefinition(beanName)) {
                continue;
            }
            RootBeanDefinition notifier = new RootBeanDefinition(EventFdNotifier.class,
                    () -> beanFactory.getBean(EventFdChannelRegistry.class).channel(name));
            notifier.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
            // lazy, so that an application that replaces the registry only needs the channels it injects
            notifier.setLazyInit(true);
            registry.registerBeanDefinition(beanName, notifier);
        }
    }

    private Set<String> configuredChannels() {
        try {
            return Binder.get(this.environment)
                    .bind("eventfd.channels", Bindable.mapOf(String.class, EventFdProperties.Channel.class))
                    .map(Map::keySet).orElse(Set.of());
        }
        catch (BindException ex) {
            // EventFdProperties fails startup with the same error, naming the property
            return Set.of();
        }
    }

    private Set<String> listenerChannels(BeanDefinitionRegistry registry) {
        Set<String> channels = new LinkedHashSet<>();
        for (String beanName : registry.getBeanDefinitionNames()) {
            Class<?> type = beanType(registry.getBeanDefinition(beanName));
            if (type != null && AnnotationUtils.isCandidateClass(type, EventFdListener.class)) {
                MethodIntrospector.selectMethods(type,
                        (MethodIntrospector.MetadataLookup<Boolean>) method ->
                                AnnotatedElementUtils.hasAnnotation(method, EventFdListener.class) ? Boolean.TRUE : null)
                        .keySet().forEach(method -> channels.add(EventFdListenerFactory.channelOf(method)));
            }
        }
        return channels;
    }

    private @Nullable Class<?> beanType(BeanDefinition definition) {
        String className = definition.getBeanClassName();
        if (definition instanceof AnnotatedBeanDefinition annotated && annotated.getFactoryMethodMetadata() != null) {
            className = annotated.getFactoryMethodMetadata().getReturnTypeName();
        }
        if (className == null || className.startsWith("org.springframework.") || className.startsWith("java.")) {
            return null;
        }
        try {
            return ClassUtils.forName(className, this.classLoader);
        }
        catch (Throwable ex) {
            return null;
        }
    }
}
