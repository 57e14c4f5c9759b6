package io.github.eventfd.spring.channel;

/**
 * What backs the channels of an application.
 */
public enum CounterImplementation {

    /** Linux eventfd(2) descriptors, polled by one epoll thread. */
    EVENTFD,

    /** Counters inside the JVM with the same semantics, where eventfd is missing or when asked for. */
    IN_MEMORY
}
