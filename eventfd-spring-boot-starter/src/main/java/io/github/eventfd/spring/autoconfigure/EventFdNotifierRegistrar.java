package io.github.eventfd.spring.autoconfigure;

import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListenerMethodProcessor;
import io.github.eventfd.spring.annotation.ListenerMethods;
import io.github.eventfd.spring.channel.ChannelDefinition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link EventFdNotifier} bean per channel, qualified by the channel name, for the channels
 * configured under {@code eventfd.channels} and those named by {@code @EventFdListener} methods of the
 * application's beans (or {@code default} when there are none).
 *
 * <p>Its definitions are a class with constructor arguments or a factory method, never a supplier, so that
 * ahead-of-time processing turns them into code. It runs once, where the bean definitions are made: an
 * application run from code generated ahead of time has them already, and {@link NotifierRegistrarAotFilter}
 * leaves this post-processor out of that code.
 *
 * <p>Listener methods are found from each bean's type as known before instantiation. A bean whose
 * {@code @Bean} method declares an interface or a supertype hides its implementation's listeners until it
 * is created: {@link ListenerNotifierPostProcessor} registers their notifiers then.
 */
final class EventFdNotifierRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    static final String NOTIFIER_BEAN_PREFIX = "eventFdNotifier.";

    /** The name of {@link #notifier(EventFdChannelRegistry, String, boolean)}. */
    static final String NOTIFIER_FACTORY_METHOD = "notifier";

    private static final String SPRING_PACKAGE = "org.springframework.";

    private static final String AUTOCONFIGURE_PACKAGE = EventFdNotifierRegistrar.class.getPackageName() + ".";

    /** The starter's auto-configurations (as its AutoConfiguration.imports lists them), properties and channels. */
    private static final Set<String> STARTERS_CONFIGURATIONS = Set.of("EventFdAutoConfiguration",
            "EventFdRedisBridgeAutoConfiguration", "EventFdMetricsAutoConfiguration",
            "EventFdHealthContributorAutoConfiguration", "EventFdEndpointAutoConfiguration",
            "EventFdObservationAutoConfiguration", "EventFdBridgeMetricsAutoConfiguration",
            "EventFdBridgeHealthContributorAutoConfiguration", "EventFdProperties", "DeclaredChannels");

    private static final Log logger = LogFactory.getLog(EventFdNotifierRegistrar.class);

    @SuppressWarnings("NullAway.Init") // set by Spring before the registry is post-processed
    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        Set<String> names = new LinkedHashSet<>(configuredChannels());
        names.addAll(listenerChannels(registry));
        if (names.isEmpty()) {
            names.add(ChannelDefinition.DEFAULT_CHANNEL);
        }
        // a class and its constructor argument, not a supplier: code generated ahead of time can hold them
        RootBeanDefinition declared = new RootBeanDefinition(DeclaredChannels.class);
        declared.getConstructorArgumentValues().addIndexedArgumentValue(0, names);
        registry.registerBeanDefinition(DeclaredChannels.class.getName(), declared);
        for (String name : names) {
            registerNotifier(registry, name, false);
        }
    }

    /**
     * Register the notifier bean of a channel unless there is one.
     * @param declare whether the notifier creates its channel with defaults if the registry does not have it:
     * for a channel found late, which may be injected before its listener is registered
     * @return whether it was registered now
     */
    static boolean registerNotifier(BeanDefinitionRegistry registry, String name, boolean declare) {
        String beanName = NOTIFIER_BEAN_PREFIX + name;
        if (registry.containsBeanDefinition(beanName)) {
            return false;
        }
        // a static factory method with the name as argument and the registry autowired: ahead-of-time
        // processing writes that as code, which it cannot do for a supplier
        RootBeanDefinition notifier = new RootBeanDefinition(EventFdNotifierRegistrar.class);
        notifier.setUniqueFactoryMethodName(NOTIFIER_FACTORY_METHOD);
        notifier.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
        notifier.getConstructorArgumentValues().addIndexedArgumentValue(1, name);
        notifier.getConstructorArgumentValues().addIndexedArgumentValue(2, declare);
        notifier.setTargetType(EventFdNotifier.class);
        notifier.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
        // what Spring names as where the bean was defined, for example when an injection point matches several
        notifier.setResourceDescription(resourceDescription(name));
        // lazy, so that an application that replaces the registry only needs the channels it injects
        notifier.setLazyInit(true);
        registry.registerBeanDefinition(beanName, notifier);
        return true;
    }

    /**
     * The factory method of every notifier bean.
     * @param channels the channel registry
     * @param name the channel name
     * @param declare whether to create the channel with defaults if the registry does not have it
     * @return the channel, which is its notifier
     */
    static EventFdNotifier notifier(EventFdChannelRegistry channels, String name, boolean declare) {
        return declare ? channels.declare(name) : channels.channel(name);
    }

    /**
     * Where a notifier bean comes from, as Spring's messages show it ("defined in ...").
     */
    static String resourceDescription(String channel) {
        return "eventfd-spring-boot-starter for channel '" + channel + "' (property eventfd.channels[" + channel
                + "] or @EventFdListener(\"" + channel + "\"); inject it with @Qualifier(\"" + channel + "\"))";
    }

    private Set<String> configuredChannels() {
        try {
            Map<String, EventFdProperties.Channel> channels = Binder.get(this.environment)
                    .bind("eventfd.channels", Bindable.mapOf(String.class, EventFdProperties.Channel.class))
                    .orElse(null);
            return (channels != null) ? channels.keySet() : Set.of();
        }
        catch (BindException ex) {
            // EventFdProperties fails startup with the same error, naming the property
            return Set.of();
        }
    }

    private Set<String> listenerChannels(BeanDefinitionRegistry registry) {
        Set<String> channels = new LinkedHashSet<>();
        if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
            logger.debug("Not looking for @EventFdListener methods before instantiation: the bean definition "
                    + "registry is not a bean factory; their notifiers are registered as the beans are created");
            return channels;
        }
        ListenerMethods listenerMethods = ListenerMethods.of(beanFactory);
        for (String beanName : registry.getBeanDefinitionNames()) {
            if (isSpringsOrStartersOwn(registry, beanName)) {
                continue;
            }
            Class<?> type = beanType(beanFactory, beanName);
            if (type != null) {
                channels.addAll(listenerMethods.channelsOf(type));
            }
        }
        return channels;
    }

    /**
     * Whether a bean is Spring's or Boot's own (infrastructure, or declared by a class of theirs, such as an
     * auto-configuration), or this starter's (declared by its auto-configuration, or its properties): such beans
     * have no {@code @EventFdListener} methods, so their types, which would take loading and introspecting classes
     * to resolve this early, are not resolved, nor are their classes searched for listeners when they are created.
     * Were one to have a listener, {@link EventFdListenerMethodProcessor} would still find it.
     */
    static boolean isSpringsOrStartersOwn(BeanDefinitionRegistry registry, String beanName) {
        try {
            if (!registry.containsBeanDefinition(beanName)) {
                return false;
            }
            BeanDefinition definition = registry.getBeanDefinition(beanName);
            if (definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) {
                return true;
            }
            String factoryBean = definition.getFactoryBeanName();
            String declaringClass = (factoryBean != null && registry.containsBeanDefinition(factoryBean))
                    ? registry.getBeanDefinition(factoryBean).getBeanClassName() : definition.getBeanClassName();
            return declaringClass != null && (declaringClass.startsWith(SPRING_PACKAGE)
                    || isStartersConfiguration(declaringClass));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /**
     * Whether a class is one of this starter's auto-configurations (or a class nested in one), its properties, or
     * its declared channels: named exactly (as strings, so that no class is loaded to tell), so that an
     * application's or a test's classes in the same package are still searched, whatever their names.
     */
    static boolean isStartersConfiguration(String className) {
        if (!className.startsWith(AUTOCONFIGURE_PACKAGE)) {
            return false;
        }
        String simpleName = className.substring(AUTOCONFIGURE_PACKAGE.length());
        int nested = simpleName.indexOf('$');
        return STARTERS_CONFIGURATIONS.contains((nested >= 0) ? simpleName.substring(0, nested) : simpleName);
    }

    private static @Nullable Class<?> beanType(ConfigurableListableBeanFactory beanFactory, String beanName) {
        Class<?> type;
        try {
            // the declared type: the bean class, or the return type of its factory method; no bean is created
            type = beanFactory.getType(beanName, false);
        }
        catch (RuntimeException | LinkageError ex) {
            logger.debug("Not looking for @EventFdListener methods in bean '" + beanName + "' before it is created: "
                    + "its type cannot be resolved (" + ex + "); its listeners get notifiers when it is created");
            return null;
        }
        if (type == null) {
            logger.debug("Not looking for @EventFdListener methods in bean '" + beanName + "' before it is created: "
                    + "its type is not known before instantiation; its listeners get notifiers when it is created");
        }
        else if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            logger.debug("Bean '" + beanName + "' is declared as " + type.getName() + ", so the @EventFdListener "
                    + "methods of its implementation are found when it is created");
        }
        return type;
    }
}
