package io.github.eventfd.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;
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
 * {@link io.github.eventfd.spring.EventFdSignalEvent} (see {@link #resync()} for what a method called on
 * resyncs may take). {@link org.springframework.core.annotation.Order @Order} on the method orders the
 * listeners of a channel; {@link #condition()} filters deliveries; a non-null return value is published as an
 * application event, as for {@code @EventListener}.
 *
 * <p>Delivery: the channel calls its listeners itself (as a Spring Kafka container calls
 * {@code @KafkaListener} methods), not through the application's event multicaster, so these hold whatever
 * the application's event setup: at most one delivery per channel runs at a time, resyncs included; signals
 * arriving meanwhile coalesce and the next call gets their sum; the listeners of a delivery run one after the
 * other in order. Where they run depends on the channel's {@code dispatch} setting. An exception thrown by the
 * method is counted ({@code eventfd.listener.errors}) and handed to the listener's
 * {@link #errorHandler() error handler}; the other listeners still run and delivery goes on. The
 * {@code EventFdSignalEvent} of each delivery is also published for plain {@code @EventListener} methods, which
 * run as the multicaster decides. {@code @Async} on the method or its class fails startup: it would run
 * deliveries at once and lose their failures. A channel named here but not configured under
 * {@code eventfd.channels} is created with default settings. A channel name is 1 to 128 letters, digits,
 * {@code .}, {@code -} or {@code _}; another fails startup with a report naming the method.
 *
 * <p>The channel calls the method by reflection. Ahead-of-time processing registers it for that
 * ({@link Reflective @Reflective}, as for {@code @EventListener}), so it is callable in a native image, on the
 * beans whose type is known at build time.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
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
     * A SpEL expression that must be true for the method to be called: {@code #count} is the count delivered
     * and {@code #event} (or {@code event}) the {@link io.github.eventfd.spring.EventFdSignalEvent}, whatever the
     * method's parameters are called; the method's arguments are also available by name, and beans as
     * {@code @name}. For example {@code "#count > 10"}.
     * @return the expression, or empty for always
     */
    String condition() default "";

    /**
     * Whether to call the method also when a shared channel attached, re-attached or took over serving
     * (an {@link io.github.eventfd.spring.EventFdResyncEvent}), so that it can catch up from its real data
     * source after a signal may have raced the change. A resync never runs while a delivery of the channel
     * runs. It carries no count, so the method must then take no parameter or an
     * {@link io.github.eventfd.spring.EventFdChannelEvent}, and tell a resync from a delivery with
     * {@code instanceof EventFdResyncEvent}:
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
     * The listener's id: unique in the application, its name in logs, meters and observations
     * ({@code listener} tag), and how {@code EventFdChannelRegistry.listener(id)} and the {@code eventfd}
     * endpoint ({@code POST /actuator/eventfd/{channel}/{id}}) find it to stop and start it. Being one segment of
     * that path, it may not hold a {@code '/'}: startup fails naming the method.
     * @return the id, or empty for {@code SimpleClassName.method} ({@code beanName.method} where two beans
     * would share that)
     */
    String id() default "";

    /**
     * Whether the channel calls this method from the start, {@code "true"} or {@code "false"} (or, as Boot binds
     * booleans, {@code on}/{@code off}, {@code yes}/{@code no}, {@code 1}/{@code 0}); a placeholder such as
     * {@code "${orders.listening:true}"} is resolved. A listener that does not start waits for
     * {@code EventFdListenerContainer.start()} (or the endpoint); a channel whose listeners all wait does not
     * read its counter, so its signals stay there and the first start delivers their sum.
     * @return {@code "true"}, {@code "false"}, or empty for {@code eventfd.listener.auto-startup} (default
     * {@code true})
     */
    String autoStartup() default "";

    /**
     * The name of the {@link io.github.eventfd.spring.listener.EventFdListenerErrorHandler} bean that decides
     * what happens after this method throws, for example a
     * {@link io.github.eventfd.spring.listener.RetryingListenerErrorHandler}.
     * @return the bean name, or empty for the bean named
     * {@value io.github.eventfd.spring.listener.EventFdListenerErrorHandler#DEFAULT_BEAN_NAME} (log and count,
     * or retry where {@code eventfd.listener.retry.enabled} is {@code true})
     */
    String errorHandler() default "";
}
