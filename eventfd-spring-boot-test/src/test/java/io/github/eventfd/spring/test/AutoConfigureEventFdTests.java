package io.github.eventfd.spring.test;

import io.github.eventfd.EventFdSupport;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.test.TestApplication.Delivery;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code @AutoConfigureEventFd} on a test whose configuration enables no auto-configuration, as in a test slice:
 * the annotation alone brings the channels, the listeners' support, the recorder and, unless turned off, the
 * synchronous mode.
 */
class AutoConfigureEventFdTests {

    /** Only a listener: no {@code @EnableAutoConfiguration}. */
    @Configuration(proxyBeanMethods = false)
    @Import(TestApplication.Orders.class)
    static class OnlyAListener {
    }

    @Nested
    @SpringBootTest(classes = OnlyAListener.class, webEnvironment = WebEnvironment.NONE)
    @AutoConfigureEventFd
    class Synchronous {

        @Autowired
        EventFdChannelRegistry registry;

        @Autowired
        TestApplication.Orders listener;

        @Autowired
        EventFdRecorder recorder;

        @Test
        void whenAnnotatedThenChannelsAreSetUpAndDeliveredOnTheSignallingThread() {
            assertThat(this.registry.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
            this.registry.channel("orders").signal(3);
            assertThat(this.listener.deliveries).containsExactly(new Delivery(3, Thread.currentThread()));
            assertThat(this.recorder.deliveries("orders")).hasSize(1);
        }
    }

    @Nested
    @EnabledOnOs(OS.LINUX)
    @SpringBootTest(classes = OnlyAListener.class, webEnvironment = WebEnvironment.NONE)
    @AutoConfigureEventFd(synchronous = false)
    class Asynchronous {

        @Autowired
        EventFdChannelRegistry registry;

        @Test
        void whenSynchronousIsTurnedOffThenChannelsAreWhatTheApplicationConfigures() {
            assumeTrue(EventFdSupport.isAvailable(), "eventfd(2) is not available here");
            assertThat(this.registry.implementation()).isEqualTo(CounterImplementation.EVENTFD);
        }
    }
}
