package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;

import io.github.eventfd.spring.EventFdListenerObserver;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.core.ResolvableType;

/**
 * Calls one {@link EventFdListener} method for the deliveries of its channel (and its resyncs, when asked
 * for), passing nothing, the count or the event. Spring's adapter does the rest as for {@code @EventListener}:
 * this class only resolves the arguments (which also restricts it to its channel) and wraps the invocation,
 * to observe each call and to log and count a failure instead of aborting the other listeners.
 */
class EventFdListenerMethodAdapter extends ApplicationListenerMethodAdapter {

    private final String channel;

    private final String listenerName;

    private final ParameterKind parameterKind;

    private final boolean resync;

    private volatile EventFdListenerObserver.Observation observation = EventFdListenerObserver.Observation.NONE;

    EventFdListenerMethodAdapter(String beanName, Class<?> targetClass, Method method, String channel,
            String listenerName, boolean resync) {
        super(beanName, targetClass, method);
        this.channel = channel;
        this.listenerName = listenerName;
        this.resync = resync;
        this.parameterKind = ParameterKind.of(method);
        if (resync && this.parameterKind == ParameterKind.EVENT) {
            throw new IllegalStateException("@EventFdListener(resync = true) method " + method.toGenericString()
                    + " must take no parameter or a long count (0 on a resync)");
        }
    }

    void observeWith(EventFdListenerObserver.Observation observation) {
        this.observation = observation;
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        if (this.resync && EventFdResyncEvent.class.isAssignableFrom(eventType.toClass())) {
            return true;
        }
        return super.supportsEventType(eventType);
    }

    /**
     * The arguments for an event of this listener's channel, or {@code null} (not handled) for any other.
     */
    @Override
    protected Object @Nullable [] resolveArguments(ApplicationEvent event) {
        if (event instanceof EventFdResyncEvent resyncEvent) {
            if (!this.resync || !this.channel.equals(resyncEvent.getChannel())) {
                return null;
            }
            return (this.parameterKind == ParameterKind.COUNT) ? new Object[] { 0L } : new Object[0];
        }
        if (event instanceof EventFdSignalEvent signal && this.channel.equals(signal.getChannel())) {
            return switch (this.parameterKind) {
                case NONE -> new Object[0];
                case COUNT -> new Object[] { signal.getCount() };
                case EVENT -> new Object[] { signal };
            };
        }
        return null;
    }

    /**
     * Invoke the method, observing the call; a failure is logged and observed, not thrown, so the other
     * listeners of the delivery still run.
     */
    @Override
    protected @Nullable Object doInvoke(@Nullable Object... args) {
        long start = System.nanoTime();
        try {
            Object result = super.doInvoke(args);
            this.observation.succeeded(System.nanoTime() - start);
            return result;
        }
        catch (VirtualMachineError ex) {
            throw ex;
        }
        catch (RuntimeException | Error ex) {
            Throwable cause = (ex instanceof UndeclaredThrowableException undeclared && undeclared.getCause() != null)
                    ? undeclared.getCause() : ex;
            this.observation.failed(System.nanoTime() - start, cause);
            this.logger.error("@EventFdListener " + this.listenerName + " of channel '" + this.channel + "' failed "
                    + "with arguments " + Arrays.toString(args) + "; delivery goes on", cause);
            return null;
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
