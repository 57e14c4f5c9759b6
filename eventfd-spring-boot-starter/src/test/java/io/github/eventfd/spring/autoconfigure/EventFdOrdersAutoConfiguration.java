package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.EventFdNotifier;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application's configuration that happens to live in the starter's package and to be named like the starter's
 * auto-configurations: its beans are the application's, so their listeners are searched like any other's.
 */
@Configuration(proxyBeanMethods = false)
class EventFdOrdersAutoConfiguration {

    @Bean
    EventFdNotifierRegistrarTests.Hidden hidden() {
        return new EventFdNotifierRegistrarTests.HiddenListener();
    }

    @Bean
    EventFdNotifierRegistrarTests.NotifierUser notifierUser(@Qualifier("x") EventFdNotifier x) {
        return new EventFdNotifierRegistrarTests.NotifierUser(x);
    }
}
