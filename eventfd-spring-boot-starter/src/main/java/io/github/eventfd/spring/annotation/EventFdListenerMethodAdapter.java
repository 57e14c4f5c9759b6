package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdListenerObserver;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.core.ResolvableType;
import org.springframework.util.StringUtils;

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
        this.parameterKind = ParameterKind.of(method, resync);
        if (resync && StringUtils.hasText(getCondition())) {
            throw new IllegalStateException("@EventFdListener(resync = true) method " + method.toGenericString()
                    + " has a condition, which a resync (an EventFdResyncEvent, without a count) cannot be tested "
                    + "against; test the event in the method, or listen to resyncs in a method of its own");
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
        if (!(event instanceof EventFdChannelEvent channelEvent) || !this.channel.equals(channelEvent.getChannel())) {
            return null;
        }
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

        static ParameterKind of(Method method, boolean resync) {
            Class<?>[] types = method.getParameterTypes();
            if (types.length == 0) {
                return NONE;
            }
            if (types.length == 1 && (types[0] == long.class || types[0] == Long.class)) {
                if (resync) {
                    throw new IllegalStateException("@EventFdListener(resync = true) method " + method.toGenericString()
                            + " takes a long count, but a resync carries none: take no parameter, or an "
                            + "EventFdChannelEvent and tell a resync by 'instanceof EventFdResyncEvent' (the count of "
                            + "a delivery is EventFdSignalEvent.getCount())");
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
                throw new IllegalStateException("@EventFdListener(resync = true) method " + method.toGenericString()
                        + " must take no parameter or an EventFdChannelEvent (a delivery or a resync)");
            }
            throw new IllegalStateException("@EventFdListener method " + method.toGenericString() + " must take no "
                    + "parameter, a long count or an EventFdSignalEvent");
        }
    }
}
