package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.EventFdSupport;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;

/**
 * Pays the native layer's one-time costs ({@link EventFdSupport#warmUp()}: binding the C library, making the
 * call stubs a channel uses) on Spring Boot's background pre-initialization thread while the application starts,
 * so that creating the first channel during the context refresh does not wait for them. Boot runs it only on a
 * JVM with more than one CPU, outside a native image, and not when the system property
 * {@code spring.backgroundpreinitializer.ignore} is {@code true}; without it the same costs are paid on first use.
 */
final class EventFdBackgroundPreinitializer implements BackgroundPreinitializer {

    @Override
    public void preinitialize() {
        EventFdSupport.warmUp();
    }
}
