package io.github.eventfd.spring;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The runtime hints of this project, registered as ahead-of-time processing finds them: from aot.factories. */
public final class StarterRuntimeHints {

    private StarterRuntimeHints() {
    }

    /**
     * Apply every {@link RuntimeHintsRegistrar} of this project listed in {@code META-INF/spring/aot.factories}.
     * @return the hints they registered
     */
    public static RuntimeHints fromAotFactories() {
        RuntimeHints hints = new RuntimeHints();
        ClassLoader classLoader = StarterRuntimeHints.class.getClassLoader();
        SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories", classLoader)
            .load(RuntimeHintsRegistrar.class)
            .stream()
            .filter(registrar -> registrar.getClass().getName().startsWith("io.github.eventfd."))
            .forEach(registrar -> registrar.registerHints(hints, classLoader));
        return hints;
    }
}
