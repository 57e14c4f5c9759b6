package io.github.eventfd.spring.test;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.channel.EventFdChannelFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the synchronous mode, when {@code eventfd-test.synchronous} is {@code true} (what
 * {@link AutoConfigureEventFd} sets): the channel factory becomes {@link EventFdChannelFactory#synchronous}, so
 * every channel is an in-JVM counter delivered on the thread that signals it. It comes before the starter's
 * auto-configuration, whose factory then backs off.
 */
@AutoConfiguration(before = EventFdAutoConfiguration.class)
@ConditionalOnClass(EventFd.class)
@ConditionalOnBooleanProperty(name = "eventfd.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = EventFdSynchronousDeliveryAutoConfiguration.SYNCHRONOUS_PROPERTY)
public final class EventFdSynchronousDeliveryAutoConfiguration {

    /**
     * The property that turns the synchronous mode on. It is not under {@code eventfd.}, where the starter refuses
     * every property it does not know.
     */
    public static final String SYNCHRONOUS_PROPERTY = "eventfd-test.synchronous";

    @Bean
    EventFdChannelFactory eventFdChannelFactory(ApplicationEventPublisher publisher) {
        return EventFdChannelFactory.synchronous(publisher);
    }
}
