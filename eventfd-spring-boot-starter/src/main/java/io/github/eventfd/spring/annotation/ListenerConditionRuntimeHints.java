package io.github.eventfd.spring.annotation;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the SpEL condition of an {@link EventFdListener} method reads by reflection, for a GraalVM native image:
 * the root object ({@code event}, {@code args}) and the getters of the event ({@code #event.count}).
 */
final class ListenerConditionRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerType(ListenerCondition.Root.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        hints.reflection().registerType(EventFdSignalEvent.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        hints.reflection().registerType(EventFdChannelEvent.class, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
}
