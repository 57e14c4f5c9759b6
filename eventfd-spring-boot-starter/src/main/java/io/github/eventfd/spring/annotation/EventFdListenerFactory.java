package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;

import io.github.eventfd.EventFdRules;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListenerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Turns {@link EventFdListener} methods into application listeners, as Spring's own factories do for
 * {@code @EventListener} and {@code @TransactionalEventListener}, and tells the channel registry and the
 * observer about each one.
 */
public class EventFdListenerFactory implements EventListenerFactory, Ordered {

    /** Ahead of {@code @TransactionalEventListener} (50) and the default factory. */
    public static final int ORDER = 40;

    private final ObjectProvider<EventFdChannelRegistry> registry;

    private final ObjectProvider<EventFdListenerObserver> observer;

    /**
     * Create the factory.
     * @param registry the channel registry, looked up when the first listener is created
     * @param observer the listener observer, if any
     */
    public EventFdListenerFactory(ObjectProvider<EventFdChannelRegistry> registry,
            ObjectProvider<EventFdListenerObserver> observer) {
        this.registry = registry;
        this.observer = observer;
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
    public boolean supportsMethod(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, EventFdListener.class);
    }

    @Override
    public ApplicationListener<?> createApplicationListener(String beanName, Class<?> type, Method method) {
        String channel = channelOf(method);
        String listenerName = ClassUtils.getUserClass(type).getSimpleName() + "." + method.getName();
        EventFdListener annotation = AnnotatedElementUtils.findMergedAnnotation(method, EventFdListener.class);
        EventFdListenerMethodAdapter adapter = new EventFdListenerMethodAdapter(beanName, type, method, channel,
                listenerName, annotation != null && annotation.resync());
        EventFdChannelRegistry channels = this.registry.getIfAvailable();
        if (channels != null) {
            channels.registerListener(channel, listenerName);
        }
        EventFdListenerObserver listenerObserver = this.observer.getIfAvailable(() -> EventFdListenerObserver.NONE);
        adapter.observeWith(listenerObserver.listenerRegistered(channel, listenerName));
        return adapter;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
