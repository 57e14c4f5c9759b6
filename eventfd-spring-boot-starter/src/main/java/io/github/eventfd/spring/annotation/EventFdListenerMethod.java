package io.github.eventfd.spring.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Collection;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.channel.ChannelListener;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.util.ObjectUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * One {@link EventFdListener} method as its channel calls it: resolves the arguments, tests the condition,
 * invokes the method on the bean (looked up on each call, so scoped and lazy beans work as for
 * {@code @EventListener}) and publishes a non-null return value.
 */
final class EventFdListenerMethod implements ChannelListener {

    private final String name;

    private final int order;

    private final boolean resync;

    private final String beanName;

    private final Method method;

    private final ParameterKind parameterKind;

    private final @Nullable ListenerCondition condition;

    private final BeanFactory beanFactory;

    private final ApplicationEventPublisher publisher;

    EventFdListenerMethod(Declaration declaration, BeanFactory beanFactory, ApplicationEventPublisher publisher) {
        this.name = declaration.name();
        this.order = declaration.order();
        this.resync = declaration.resync();
        this.beanName = declaration.beanName();
        this.method = BridgeMethodResolver.findBridgedMethod(declaration.method());
        this.parameterKind = ParameterKind.of(declaration.targetMethod(), this.resync);
        String conditionText = declaration.condition();
        if (this.resync && StringUtils.hasText(conditionText)) {
            throw new InvalidEventFdListenerException(declaration.targetMethod(), conditionText, "has resync = true and "
                    + "a condition, which a resync (an EventFdResyncEvent, without a count) cannot be tested against",
                    "Test the event in the method, or listen to resyncs in a method of its own");
        }
        this.condition = StringUtils.hasText(conditionText)
                ? new ListenerCondition(conditionText, declaration.targetMethod(), beanFactory) : null;
        this.beanFactory = beanFactory;
        this.publisher = publisher;
        ReflectionUtils.makeAccessible(this.method);
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public int order() {
        return this.order;
    }

    @Override
    public boolean receivesResyncs() {
        return this.resync;
    }

    @Override
    public boolean accepts(EventFdChannelEvent event) {
        ListenerCondition test = this.condition;
        if (test == null || !(event instanceof EventFdSignalEvent signal)) {
            return true;
        }
        Object[] args = arguments(event);
        return args != null && test.matches(signal, args);
    }

    /** Called by the channel for events {@link #accepts} took: the condition is not tested again. */
    @Override
    public boolean onEvent(EventFdChannelEvent event) throws Exception {
        Object[] args = arguments(event);
        if (args == null) {
            return false;
        }
        Object result = invoke(args);
        if (result != null) {
            publishResult(result);
        }
        return true;
    }

    private Object @Nullable [] arguments(EventFdChannelEvent event) {
        if (event instanceof EventFdSignalEvent signal) {
            return switch (this.parameterKind) {
                case NONE -> new Object[0];
                case COUNT -> new Object[] { signal.getCount() };
                case EVENT -> new Object[] { signal };
            };
        }
        if (event instanceof EventFdResyncEvent && this.resync) {
            // a resync never passes a count: the constructor refused a long parameter with resync = true
            return (this.parameterKind == ParameterKind.EVENT) ? new Object[] { event } : new Object[0];
        }
        return null;
    }

    private @Nullable Object invoke(Object[] args) throws Exception {
        Object bean = this.beanFactory.getBean(this.beanName);
        try {
            return this.method.invoke(bean, args);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getTargetException();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw ex;
        }
        catch (IllegalArgumentException ex) {
            if (!this.method.getDeclaringClass().isInstance(bean) && !Proxy.isProxyClass(bean.getClass())) {
                throw new IllegalStateException("@EventFdListener " + this.name + " is declared on "
                        + this.method.getDeclaringClass().getName() + " but bean '" + this.beanName + "' is a "
                        + AopUtils.getTargetClass(bean).getName() + "; if it is proxied, proxy its class or declare "
                        + "the method on an interface", ex);
            }
            throw ex;
        }
    }

    private void publishResult(Object result) {
        if (result.getClass().isArray()) {
            for (Object element : ObjectUtils.toObjectArray(result)) {
                this.publisher.publishEvent(element);
            }
        }
        else if (result instanceof Collection<?> events) {
            events.forEach(this.publisher::publishEvent);
        }
        else {
            this.publisher.publishEvent(result);
        }
    }

    @Override
    public String toString() {
        return "@EventFdListener " + this.name;
    }

    /**
     * What the processor found about one annotated method.
     *
     * @param beanName the bean to call
     * @param method the method to invoke on the bean, as its proxy exposes it
     * @param targetMethod the method as declared, for its parameters and annotations
     * @param name the listener's name
     * @param order its order among the channel's listeners
     * @param resync whether it is called on resyncs
     * @param condition its condition, or empty
     */
    record Declaration(String beanName, Method method, Method targetMethod, String name, int order, boolean resync,
            String condition) {
    }

    /** The parameter lists an {@link EventFdListener} method may have. */
    enum ParameterKind {

        NONE, COUNT, EVENT;

        static ParameterKind of(Method method, boolean resync) {
            Class<?>[] types = method.getParameterTypes();
            if (types.length == 0) {
                return NONE;
            }
            if (types.length == 1 && (types[0] == long.class || types[0] == Long.class)) {
                if (resync) {
                    throw new InvalidEventFdListenerException(method, "resync = true", "has resync = true and takes a "
                            + "long count, but a resync carries none", "Take no parameter, or an EventFdChannelEvent "
                            + "and tell a resync by 'instanceof EventFdResyncEvent' (the count of a delivery is "
                            + "EventFdSignalEvent.getCount())");
                }
                return COUNT;
            }
            if (types.length == 1 && resync && types[0].isAssignableFrom(EventFdChannelEvent.class)) {
                return EVENT;
            }
            if (types.length == 1 && !resync && types[0].isAssignableFrom(EventFdSignalEvent.class)) {
                return EVENT;
            }
            if (resync) {
                throw new InvalidEventFdListenerException(method, "resync = true", "has resync = true and parameters a "
                        + "resync cannot fill", "Take no parameter or an EventFdChannelEvent (a delivery or a resync)");
            }
            throw new InvalidEventFdListenerException(method, Arrays.toString(types), "has parameters a delivery "
                    + "cannot fill", "Take no parameter, a long count or an EventFdSignalEvent");
        }
    }
}
