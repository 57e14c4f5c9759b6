package io.github.eventfd.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.eventfd.spring.EventFdSignalEvent;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a method to call when an eventfd channel is signalled.
 *
 * <pre>{@code
 * @EventFdListener("orders")
 * void onOrders(long count) {        // or ()  or (EventFdSignalEvent event)
 *     orderRepository.processNew();  // a signal is a doorbell: fetch the real work here
 * }
 * }</pre>
 *
 * <p>The method may take no parameter, a {@code long} (the count delivered, never 0), or an
 * {@link EventFdSignalEvent} (see {@link #resync()} for what a method called on resyncs may take). It is an {@link EventListener} for that event restricted to one channel, so
 * {@link org.springframework.core.annotation.Order @Order}, {@link #condition()} (SpEL, for example
 * {@code "event.count > 10"} or {@code "#count > 10"}) and
 * return values behave as for {@code @EventListener}.
 *
 * <p>Delivery: at most one delivery per channel runs at a time; signals arriving meanwhile coalesce and
 * the next call gets their sum. Where it runs depends on the channel's {@code dispatch} setting. An
 * exception thrown by the method is logged and counted ({@code eventfd.listener.errors}); the other
 * listeners still run and delivery goes on. A channel named here but not configured under
 * {@code eventfd.channels} is created with default settings. A channel name is 1 to 128 letters, digits,
 * {@code .}, {@code -} or {@code _}; another fails startup with a report naming the method.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EventListener(classes = EventFdSignalEvent.class)
public @interface EventFdListener {

    /**
     * The channel to listen to; {@code "default"} when empty.
     * @return the channel name
     */
    @AliasFor("channel")
    String value() default "";

    /**
     * The channel to listen to; an alias for {@link #value()}.
     * @return the channel name
     */
    @AliasFor("value")
    String channel() default "";

    /**
     * A SpEL expression that must be true for the method to be called, as in
     * {@link EventListener#condition()}: {@code event} is the {@link EventFdSignalEvent}, and method
     * arguments are available by name ({@code #count}).
     * @return the expression, or empty for always
     */
    @AliasFor(annotation = EventListener.class, attribute = "condition")
    String condition() default "";

    /**
     * Whether to call the method also when a shared channel attached, re-attached or took over serving
     * (an {@link io.github.eventfd.spring.EventFdResyncEvent}), so that it can catch up from its real data
     * source after a signal may have raced the change. A resync carries no count, so the method must then
     * take no parameter or an {@link io.github.eventfd.spring.EventFdChannelEvent}, and tell a resync from a
     * delivery with {@code instanceof EventFdResyncEvent}:
     *
     * <pre>{@code
     * @EventFdListener(value = "orders", resync = true)
     * void onOrders(EventFdChannelEvent event) {
     *     if (event instanceof EventFdSignalEvent signal) { ... signal.getCount() ... }
     *     else { ... catch up ... }
     * }
     * }</pre>
     *
     * A method taking a {@code long}, or with a {@link #condition()}, fails at startup.
     * @return {@code true} to be called on resyncs
     */
    boolean resync() default false;

    /**
     * The listener id, as in {@link EventListener#id()}.
     * @return the id, or empty for the default
     */
    @AliasFor(annotation = EventListener.class, attribute = "id")
    String id() default "";
}
