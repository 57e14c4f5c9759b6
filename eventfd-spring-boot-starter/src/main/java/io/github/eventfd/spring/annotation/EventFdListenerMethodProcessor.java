package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.eventfd.EventFdRules;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.ListenerInterceptor;
import io.github.eventfd.spring.channel.ListenerSettings;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;
import io.github.eventfd.spring.listener.LoggingListenerErrorHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Async;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Finds the {@link EventFdListener} methods of every bean once all singletons exist (as Spring's
 * {@code EventListenerMethodProcessor} does for {@code @EventListener}) and adds each to its channel, which
 * calls it itself: the application's event multicaster never runs them.
 */
public class EventFdListenerMethodProcessor implements SmartInitializingSingleton, ApplicationContextAware,
        DisposableBean {

    private static final Log logger = LogFactory.getLog(EventFdListenerMethodProcessor.class);

    private static final EventFdListenerErrorHandler LOG_AND_COUNT = new LoggingListenerErrorHandler();

    private final ObjectProvider<EventFdChannelRegistry> registry;

    /** What {@code autoStartup = ""} means: the property, {@code true} when it is not set. */
    static final String DEFAULT_AUTO_STARTUP = "${eventfd.listener.auto-startup:true}";

    private final ObjectProvider<ListenerInterceptor> interceptors;

    /** What this processor added to the registry, removed when its context closes. */
    private final List<Registered> registered = new ArrayList<>();

    private @Nullable ConfigurableApplicationContext context;

    /**
     * Create the processor.
     * @param registry the channel registry
     * @param interceptors what wraps the listeners' calls, every one in order
     */
    public EventFdListenerMethodProcessor(ObjectProvider<EventFdChannelRegistry> registry,
            ObjectProvider<ListenerInterceptor> interceptors) {
        this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
        this.interceptors = Objects.requireNonNull(interceptors, "'interceptors' must not be null");
    }

    /**
     * The channel an annotated method listens to.
     * @param method an annotated method
     * @return the channel name, {@code "default"} when the annotation names none
     * @throws InvalidEventFdListenerException if the annotation names a channel that is not allowed
     */
    public static String channelOf(Method method) {
        EventFdListener listener = AnnotatedElementUtils.findMergedAnnotation(method, EventFdListener.class);
        String channel = (listener != null) ? listener.value() : "";
        String name = StringUtils.hasText(channel) ? channel : ChannelDefinition.DEFAULT_CHANNEL;
        if (!EventFdRules.isValidChannelName(name)) {
            String renamed = ChannelDefinition.allowedNameLike(name);
            throw new InvalidEventFdListenerException(method, name, "names the channel '" + name + "', which is not "
                    + "allowed: a channel name is " + EventFdRules.CHANNEL_NAME_RULE, "Name a channel that follows the "
                    + "rule in the annotation of " + ClassUtils.getQualifiedMethodName(method) + ", for example "
                    + "@EventFdListener(\"" + renamed + "\"), and configure it, if at all, under the same name: "
                    + "eventfd.channels[" + renamed + "].*");
        }
        return name;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        if (!(applicationContext instanceof ConfigurableApplicationContext configurable)) {
            throw new IllegalStateException("@EventFdListener support needs a ConfigurableApplicationContext but the "
                    + "context is a " + applicationContext.getClass().getName());
        }
        this.context = configurable;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableApplicationContext current = Objects.requireNonNull(this.context, "no application context");
        EventFdChannelRegistry channels = this.registry.getIfAvailable();
        if (channels == null) {
            return;
        }
        ConfigurableListableBeanFactory beanFactory = current.getBeanFactory();
        ListenerMethods listenerMethods = ListenerMethods.of(beanFactory);
        List<Found> found = new ArrayList<>();
        for (String beanName : beanFactory.getBeanNamesForType(Object.class, true, false)) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            Class<?> type = targetClass(beanFactory, beanName);
            if (type != null && ScopedObject.class.isAssignableFrom(type)) {
                Class<?> scopedTarget = targetClass(beanFactory, ScopedProxyUtils.getTargetBeanName(beanName));
                type = (scopedTarget != null) ? scopedTarget : type;
            }
            if (type != null) {
                findListeners(current, listenerMethods, beanName, type, found);
            }
        }
        List<ListenerInterceptor> listenerInterceptors = this.interceptors.orderedStream().toList();
        // plain loops here and below, no lambdas: each is a class spun at startup
        Map<String, Integer> defaultNames = new HashMap<>();
        for (Found listener : found) {
            refuseSlashInId(listener);
            if (!listener.hasId()) {
                defaultNames.put(listener.defaultName(), defaultNames.getOrDefault(listener.defaultName(), 0) + 1);
            }
        }
        for (Found listener : found) {
            // ids are unique in the application: two beans of one class (or two classes of one simple name)
            // are told apart by their bean names
            String name = listener.hasId() ? listener.annotation().id()
                    : (defaultNames.getOrDefault(listener.defaultName(), 0) > 1)
                            ? listener.beanName() + "." + listener.method().getName() : listener.defaultName();
            register(current, channels, listenerInterceptors, listener, name);
        }
    }

    private void register(ConfigurableApplicationContext context, EventFdChannelRegistry channels,
            List<ListenerInterceptor> listenerInterceptors, Found found, String name) {
        Method method = found.method();
        EventFdListener annotation = found.annotation();
        EventFdListenerMethod listener = new EventFdListenerMethod(new EventFdListenerMethod.Declaration(
                found.beanName(), found.invocable(), method, name, orderOf(method), annotation.resync(),
                annotation.condition()), context.getBeanFactory(), context);
        EventFdListenerErrorHandler handler = errorHandler(context.getBeanFactory(), method, annotation);
        boolean autoStartup = autoStartup(context.getBeanFactory(), method, annotation);
        List<ListenerInterceptor.Interception> interceptions = new ArrayList<>(listenerInterceptors.size());
        for (ListenerInterceptor interceptor : listenerInterceptors) {
            interceptions.add(interceptor.listenerAdded(found.channel(), name));
        }
        try {
            channels.registerListener(found.channel(), listener, new ListenerSettings(interceptions, handler,
                    autoStartup));
        }
        catch (IllegalStateException ex) {
            throw new InvalidEventFdListenerException(method, name, "is the second listener named '" + name + "' (a "
                    + "listener's id is unique in the application)", "Give one of them another id: "
                    + "@EventFdListener(id = \"...\")", ex);
        }
        this.registered.add(new Registered(channels, found.channel(), listener));
    }

    private static @Nullable Class<?> targetClass(ConfigurableListableBeanFactory beanFactory, String beanName) {
        try {
            return AutoProxyUtils.determineTargetClass(beanFactory, beanName);
        }
        catch (RuntimeException ex) {
            logger.debug("Could not resolve the type of bean '" + beanName + "'", ex);
            return null;
        }
    }

    private void findListeners(ConfigurableApplicationContext context, ListenerMethods listenerMethods,
            String beanName, Class<?> type, List<Found> found) {
        Map<Method, EventFdListener> methods = listenerMethods.methodsOf(type);
        if (methods.isEmpty()) {
            return;
        }
        Class<?> beanType = context.getType(beanName);
        for (Map.Entry<Method, EventFdListener> entry : methods.entrySet()) {
            Method method = entry.getKey();
            refuseAsync(type, method);
            Method invocable = AopUtils.selectInvocableMethod(method, (beanType != null) ? beanType : type);
            found.add(new Found(beanName, method, invocable, entry.getValue(), channelOf(method),
                    ClassUtils.getUserClass(type).getSimpleName() + "." + method.getName()));
        }
    }

    /**
     * Remove the listeners of this context from their channels: a registry shared with a parent context
     * would otherwise call beans of a closed context.
     */
    @Override
    public void destroy() {
        // the registry they were added to, never a new one: a bean factory being destroyed creates none
        this.registered.forEach(entry -> entry.registry().unregisterListener(entry.channel(), entry.listener()));
        this.registered.clear();
    }

    /** The endpoint addresses a listener as {@code /actuator/eventfd/{channel}/{id}}: one path segment. */
    private static void refuseSlashInId(Found found) {
        String id = found.annotation().id();
        if (id.indexOf('/') >= 0) {
            throw new InvalidEventFdListenerException(found.method(), id, "has id = \"" + id + "\", which holds a '/': "
                    + "a listener id is one segment of the eventfd endpoint's path "
                    + "(/actuator/eventfd/{channel}/{id}), so no URL could reach it", "Write the id without '/', for "
                    + "example @EventFdListener(id = \"" + id.replace('/', '-') + "\")");
        }
    }

    /** {@code @Async} would run each call on another thread: deliveries at once, failures lost. */
    private static void refuseAsync(Class<?> type, Method method) {
        if (AnnotatedElementUtils.hasAnnotation(method, Async.class)
                || AnnotatedElementUtils.hasAnnotation(type, Async.class)) {
            throw new InvalidEventFdListenerException(method, "@Async", "is @Async (on the method or its class): its "
                    + "channel would start a delivery before the last one ended and never see a failure", "Remove @Async "
                    + "(a channel with dispatch=executor already runs its listeners off the poller thread, one delivery "
                    + "at a time)");
        }
    }

    private static int orderOf(Method method) {
        MergedAnnotation<Order> order = MergedAnnotations.from(method, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
            .get(Order.class);
        return order.getValue(MergedAnnotation.VALUE, Integer.class).orElse(0);
    }

    /** An annotated method found on a bean. */
    private record Found(String beanName, Method method, Method invocable, EventFdListener annotation, String channel,
            String defaultName) {

        boolean hasId() {
            return StringUtils.hasText(this.annotation.id());
        }
    }

    /** A listener added to a channel. */
    private record Registered(EventFdChannelRegistry registry, String channel, EventFdListenerMethod listener) {
    }

    private static boolean autoStartup(ConfigurableListableBeanFactory beanFactory, Method method,
            EventFdListener annotation) {
        String declared = StringUtils.hasText(annotation.autoStartup()) ? annotation.autoStartup()
                : DEFAULT_AUTO_STARTUP;
        String value = beanFactory.resolveEmbeddedValue(declared);
        String shown = (value != null) ? value : declared;
        Boolean converted = null;
        if (value != null) {
            try {
                // as Boot binds a boolean property: true/false, on/off, yes/no, 1/0
                converted = beanFactory.getTypeConverter().convertIfNecessary(value.strip(), Boolean.class);
            }
            catch (TypeMismatchException ex) {
                throw refusedAutoStartup(method, declared, shown, ex);
            }
        }
        if (converted == null) {
            throw refusedAutoStartup(method, declared, shown, null);
        }
        return converted;
    }

    private static InvalidEventFdListenerException refusedAutoStartup(Method method, String declared, String shown,
            @Nullable Throwable cause) {
        return new InvalidEventFdListenerException(method, shown, "has autoStartup = \"" + declared + "\", which "
                + "resolves to '" + shown + "' where a boolean is allowed (true or false; on/off, yes/no and 1/0 "
                + "too)", "Write autoStartup = \"true\" or \"false\" (or a placeholder that resolves to one), or "
                + "set eventfd.listener.auto-startup to true or false", cause);
    }

    private static EventFdListenerErrorHandler errorHandler(BeanFactory beanFactory, Method method,
            EventFdListener annotation) {
        String name = annotation.errorHandler();
        if (!StringUtils.hasText(name)) {
            return beanFactory.containsBean(EventFdListenerErrorHandler.DEFAULT_BEAN_NAME)
                    ? beanFactory.getBean(EventFdListenerErrorHandler.DEFAULT_BEAN_NAME, EventFdListenerErrorHandler.class)
                    : LOG_AND_COUNT;
        }
        try {
            return beanFactory.getBean(name, EventFdListenerErrorHandler.class);
        }
        catch (NoSuchBeanDefinitionException ex) {
            throw new InvalidEventFdListenerException(method, name, "names errorHandler = \"" + name + "\", but there "
                    + "is no EventFdListenerErrorHandler bean of that name", "Define one (for example a "
                    + "RetryingListenerErrorHandler) or remove the attribute", ex);
        }
        catch (BeansException ex) {
            throw new InvalidEventFdListenerException(method, name, "names errorHandler = \"" + name + "\", which is "
                    + "not a usable EventFdListenerErrorHandler bean: " + ex.getMessage(), "Name an "
                    + "EventFdListenerErrorHandler bean, or remove the attribute", ex);
        }
    }
}
