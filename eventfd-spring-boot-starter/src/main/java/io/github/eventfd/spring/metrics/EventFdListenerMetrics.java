package io.github.eventfd.spring.metrics;

import java.util.concurrent.TimeUnit;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.channel.ListenerInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.springframework.core.Ordered;

/**
 * Per-listener meters, tagged {@code channel} and {@code listener} (the listener's id):
 * {@code eventfd.listener.duration}, {@code eventfd.listener.errors}, {@code eventfd.listener.retries} and
 * {@code eventfd.listener.given.up}. Meters are created once per listener at startup, never per call. They are
 * an interceptor among others: an application's own {@link ListenerInterceptor} adds to them, and the
 * {@code Observation} of {@code eventfd.listener.observation-enabled} does too, under another name. The
 * duration publishes a histogram only when asked, as is Boot's convention:
 * {@code management.metrics.distribution.percentiles-histogram.eventfd.listener.duration=true}.
 */
public class EventFdListenerMetrics implements ListenerInterceptor, Ordered {

    /** The order of this interceptor: innermost, so that it times the listener and little else. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    private final MeterRegistry meterRegistry;

    /**
     * Create the interceptor.
     * @param meterRegistry where the meters go
     */
    public EventFdListenerMetrics(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }

    @Override
    public Interception listenerAdded(String channel, String listener) {
        Tags tags = Tags.of("channel", channel, "listener", listener);
        Timer duration = Timer.builder("eventfd.listener.duration")
                .description("Time an @EventFdListener method took per delivery").tags(tags)
                .register(this.meterRegistry);
        Counter errors = Counter.builder("eventfd.listener.errors").description("Listener invocations that threw")
                .tags(tags).register(this.meterRegistry);
        Counter retries = Counter.builder("eventfd.listener.retries")
                .description("Failed deliveries the listener's error handler asked for again").tags(tags)
                .register(this.meterRegistry);
        Counter givenUp = Counter.builder("eventfd.listener.given.up")
                .description("Failed deliveries the listener's error handler gave up").tags(tags)
                .register(this.meterRegistry);
        return new Interception() {
            @Override
            public boolean intercept(EventFdChannelEvent event, Call call) throws Exception {
                long start = System.nanoTime();
                try {
                    boolean called = call.proceed();
                    if (called) {
                        duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    }
                    return called;
                }
                catch (Exception | Error ex) {
                    duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    errors.increment();
                    throw ex;
                }
            }

            @Override
            public void retried() {
                retries.increment();
            }

            @Override
            public void gaveUp() {
                givenUp.increment();
            }
        };
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
