package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * The {@link EventFdListener} methods of classes, each class searched once per bean factory. Three parts of the
 * starter look for listeners: before the beans exist (to register the notifiers of their channels), as each bean is
 * created (for a bean whose declared type hid them), and once all exist (to add them to their channels). They share
 * one instance, so an application's classes are searched once, not three times: with a few hundred beans that
 * search is a good part of what the starter adds to a start.
 *
 * <p>Classes of the JDK and of Spring are not searched: they have no such methods. This type is public for the
 * starter's auto-configuration; applications have no use for it.
 */
public final class ListenerMethods {

    /** The name under which the instance of a bean factory is registered in it as a singleton. */
    public static final String BEAN_NAME = "io.github.eventfd.spring.annotation.internalListenerMethods";

    private static final String SPRING_PACKAGE = "org.springframework.";

    private final Map<Class<?>, Map<Method, EventFdListener>> byType = new ConcurrentHashMap<>();

    private ListenerMethods() {
    }

    /**
     * The instance of a bean factory: the one registered in it, or a new one registered now.
     * @param beanFactory the bean factory
     * @return its instance
     */
    public static ListenerMethods of(ConfigurableListableBeanFactory beanFactory) {
        if (beanFactory.getSingleton(BEAN_NAME) instanceof ListenerMethods registered) {
            return registered;
        }
        ListenerMethods created = new ListenerMethods();
        try {
            beanFactory.registerSingleton(BEAN_NAME, created);
            return created;
        }
        catch (IllegalStateException ex) {
            // registered meanwhile by another thread, or a bean of that name is there: use it if it is one
            return (beanFactory.getSingleton(BEAN_NAME) instanceof ListenerMethods registered) ? registered : created;
        }
    }

    /**
     * The annotated methods of a class (declared on it, its superclasses or its interfaces), with their merged
     * annotations.
     * @param type the class
     * @return its listener methods, empty when it has none
     */
    public Map<Method, EventFdListener> methodsOf(Class<?> type) {
        Map<Method, EventFdListener> known = this.byType.get(type);
        if (known != null) {
            return known;
        }
        Map<Method, EventFdListener> found = search(type);
        this.byType.putIfAbsent(type, found);
        return found;
    }

    /**
     * The channels of the listener methods of a class.
     * @param type the class
     * @return the channel names, in the order of the methods
     * @throws InvalidEventFdListenerException if a method names a channel that is not allowed
     */
    public Set<String> channelsOf(Class<?> type) {
        Map<Method, EventFdListener> methods = methodsOf(type);
        if (methods.isEmpty()) {
            return Set.of();
        }
        Set<String> channels = new LinkedHashSet<>();
        for (Method method : methods.keySet()) {
            channels.add(EventFdListenerMethodProcessor.channelOf(method));
        }
        return channels;
    }

    private static Map<Method, EventFdListener> search(Class<?> type) {
        if (type.getName().startsWith(SPRING_PACKAGE) || !AnnotationUtils.isCandidateClass(type, EventFdListener.class)) {
            return Map.of();
        }
        Map<Method, EventFdListener> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<EventFdListener>) method -> AnnotatedElementUtils
                    .findMergedAnnotation(method, EventFdListener.class));
        return methods.isEmpty() ? Map.of() : Collections.unmodifiableMap(methods);
    }
}
