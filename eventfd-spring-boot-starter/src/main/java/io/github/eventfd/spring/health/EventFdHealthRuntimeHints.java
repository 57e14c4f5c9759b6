package io.github.eventfd.spring.health;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.spring.bridge.BridgeMode;
import io.github.eventfd.spring.bridge.BridgeState;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.ShareDescription;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The values in the details of the {@code eventfd} and {@code eventfdBridge} health indicators (and of the
 * endpoint's bridge channels), which JSON serialization reads by
 * reflection: nothing in their declared type ({@code Map<String, Object>}) tells ahead-of-time processing.
 */
final class EventFdHealthRuntimeHints implements RuntimeHintsRegistrar {

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        this.bindings.registerReflectionHints(hints.reflection(), CounterImplementation.class, EventFdMode.class,
                Dispatch.class, ShareDescription.class, BridgeState.class, BridgeMode.class);
    }
}
