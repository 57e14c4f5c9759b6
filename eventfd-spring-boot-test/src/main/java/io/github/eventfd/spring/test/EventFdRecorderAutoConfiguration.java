package io.github.eventfd.spring.test;

import io.github.eventfd.EventFd;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link EventFdRecorder}, in every test context that has this artifact on its class
 * path and eventfd enabled.
 */
@AutoConfiguration
@ConditionalOnClass(EventFd.class)
@ConditionalOnBooleanProperty(name = "eventfd.enabled", matchIfMissing = true)
public final class EventFdRecorderAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventFdRecorder eventFdRecorder() {
        return new EventFdRecorder();
    }
}
