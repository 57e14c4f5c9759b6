package io.github.eventfd.spring.autoconfigure;

import java.lang.reflect.Method;

import io.github.eventfd.spring.EventFdChannelRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ReflectionUtils;

/**
 * The factory method of notifier beans, for a GraalVM native image: {@link ListenerNotifierPostProcessor}
 * registers a notifier at run time for a listener that only its bean's instance shows, and Spring then calls
 * the method by reflection.
 */
final class NotifierRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerMethod(factoryMethod(), ExecutableMode.INVOKE);
    }

    static Method factoryMethod() {
        Method method = ReflectionUtils.findMethod(EventFdNotifierRegistrar.class,
                EventFdNotifierRegistrar.NOTIFIER_FACTORY_METHOD, EventFdChannelRegistry.class, String.class,
                boolean.class);
        if (method == null) {
            throw new IllegalStateException("EventFdNotifierRegistrar has no method "
                    + EventFdNotifierRegistrar.NOTIFIER_FACTORY_METHOD + "(EventFdChannelRegistry, String, boolean)");
        }
        return method;
    }
}
