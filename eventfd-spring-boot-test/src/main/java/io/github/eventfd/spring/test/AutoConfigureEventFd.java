package io.github.eventfd.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Sets up eventfd channels for a test, in the synchronous mode by default: every channel is an in-JVM counter,
 * and {@code signal()} delivers to the channel's listeners on the calling thread before it returns, so counts do
 * not depend on thread timing and {@code @RecordApplicationEvents} records the {@code EventFdSignalEvent}s. An
 * {@link EventFdRecorder} bean records every delivery, to await by channel and count.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureEventFd
 * @RecordApplicationEvents
 * class BillingTests {
 *
 *     @Autowired @Qualifier("orders") EventFdNotifier orders;
 *
 *     @Test
 *     void billsEachOrder(ApplicationEvents events) {
 *         orders.signal();
 *         orders.signal();
 *         assertThat(events.stream(EventFdSignalEvent.class)).hasSize(2);   // two signals, two deliveries
 *     }
 * }
 * }</pre>
 *
 * <p>Used with {@code @SpringBootTest}, or with a test slice, which then gets the starter's channels, notifiers
 * and {@code @EventFdListener} support too. The attribute maps to the property {@code eventfd-test.synchronous},
 * which can also be set without the annotation, in a test's properties.
 *
 * <p>Deliveries stay one at a time per channel and are never nested: a listener that signals its own channel
 * gets the next delivery after it returns, and a signal made while another thread is delivering the channel is
 * delivered by that thread, right after its current delivery, so that no signalling thread ever waits for
 * another. A signal made inside a Spring-managed transaction is delivered on the committing thread after the
 * commit. Shared channels run in this process only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("eventfd-test")
public @interface AutoConfigureEventFd {

    /**
     * Whether {@code signal()} delivers on the calling thread before it returns, on in-JVM counters. With
     * {@code false}, channels are set up as the application's configuration says (eventfd, delivered on the
     * starter's threads) and only the {@link EventFdRecorder} is added.
     * @return {@code true} (the default) for the synchronous mode
     */
    boolean synchronous() default true;
}
