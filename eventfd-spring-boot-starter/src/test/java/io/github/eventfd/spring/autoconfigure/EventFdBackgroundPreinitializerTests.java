package io.github.eventfd.spring.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Boot's background pre-initialization finds the starter's warm-up, so an application pays the native layer's
 * one-time costs on Boot's background thread rather than while its context refreshes.
 */
class EventFdBackgroundPreinitializerTests {

    @Test
    void bootsBackgroundPreinitializationRunsTheWarmUp() {
        List<BackgroundPreinitializer> preinitializers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(BackgroundPreinitializer.class);
        assertThat(preinitializers).hasAtLeastOneElementOfType(EventFdBackgroundPreinitializer.class);
        BackgroundPreinitializer ours = preinitializers.stream()
                .filter(EventFdBackgroundPreinitializer.class::isInstance).findFirst().orElseThrow();
        assertThatNoException().isThrownBy(ours::preinitialize);
    }
}
