package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;

import io.github.eventfd.spring.EventFdListenerObserver;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.core.ResolvableType;

/**
 * Calls one {@link EventFdListener} method for the deliveries of its channel, passing nothing, the count
 * or the event, and observing each call; a failure is logged and observed instead of aborting the other
 * listeners of the delivery.
 */
class EventFdListenerMethodAdapter extends ApplicationListenerMethodAdapter {

    private final String channel;

    private final String listenerName;

    private final ParameterKind parameterKind;

    private volatile EventFdListenerObserver.Observation observation = EventFdListenerObserver.Observation.NONE;

    private final boolean resync;

    EventFdListenerMethodAdapter(String beanName, Class<?> targetClass, Method method, String channel,
            String listenerName, boolean resync) {
        super(beanName, targetClass, method);
        this.channel = channel;
        this.listenerName = listenerName;
        this.parameterKind = ParameterKind.of(method);
        this.resync = resync;
        if (resync && this.parameterKind == ParameterKind.EVENT) {
            throw new IllegalStateException("@EventFdListener(resync = true) method " + method.toGenericString()
                    + " must take no parameter or a long count (0 on a resync)");
        }
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        if (this.resync && EventFdResyncEvent.class.isAssignableFrom(eventType.toClass())) {
            return true;
        }
        return super.supportsEventType(eventType);
    }

    void observeWith(EventFdListenerObserver.Observation observation) {
        this.observation = observation;
    }

    @Override
    public boolean shouldHandle(ApplicationEvent event) {
        if (event instanceof EventFdResyncEvent resyncEvent) {
            return this.resync && this.channel.equals(resyncEvent.getChannel());
        }
        return (event instanceof EventFdSignalEvent signal) && this.channel.equals(signal.getChannel())
                && super.shouldHandle(event);
    }

    @Override
    protected Object @Nullable [] resolveArguments(ApplicationEvent event) {
        if (event instanceof EventFdResyncEvent) {
            return (this.parameterKind == ParameterKind.COUNT) ? new Object[] { 0L } : new Object[0];
        }
        if (!(event instanceof EventFdSignalEvent signal)) {
            return null;
        }
        return switch (this.parameterKind) {
            case NONE -> new Object[0];
            case COUNT -> new Object[] { signal.getCount() };
            case EVENT -> new Object[] { signal };
        };
    }

    @Override
    public void processEvent(ApplicationEvent event) {
        if (!shouldHandle(event)) {
            return;
        }
        Object[] args = resolveArguments(event);
        if (args == null) {
            return;
        }
        long start = System.nanoTime();
        try {
            Object result = doInvoke(args);
            this.observation.succeeded(System.nanoTime() - start);
            if (result != null) {
                handleResult(result);
            }
        }
        catch (VirtualMachineError ex) {
            throw ex;
        }
        catch (Throwable ex) {
            Throwable cause = (ex instanceof UndeclaredThrowableException undeclared && undeclared.getCause() != null)
                    ? undeclared.getCause() : ex;
            this.observation.failed(System.nanoTime() - start, cause);
            this.logger.error("@EventFdListener " + this.listenerName + " of channel '" + this.channel + "' failed on "
                    + event + "; delivery goes on", cause);
        }
    }

    /** The parameter lists an {@link EventFdListener} method may have. */
    enum ParameterKind {

        NONE, COUNT, EVENT;

        static ParameterKind of(Method method) {
            Class<?>[] types = method.getParameterTypes();
            if (types.length == 0) {
                return NONE;
            }
            if (types.length == 1 && (types[0] == long.class || types[0] == Long.class)) {
                return COUNT;
            }
            if (types.length == 1 && types[0].isAssignableFrom(EventFdSignalEvent.class)) {
                return EVENT;
            }
            throw new IllegalStateException("@EventFdListener method " + method.toGenericString() + " must take no "
                    + "parameter, a long count or an EventFdSignalEvent");
        }
    }
}
