package io.github.eventfd.spring.metrics;

import java.util.concurrent.TimeUnit;

import io.github.eventfd.spring.EventFdListenerObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Per-listener meters, tagged {@code channel} and {@code listener}: {@code eventfd.listener.duration},
 * {@code eventfd.listener.errors}, {@code eventfd.listener.retries} and {@code eventfd.listener.given.up}.
 * Meters are created once per listener at startup, never per call. The duration publishes a histogram only when
 * asked, as is Boot's convention:
 * {@code management.metrics.distribution.percentiles-histogram.eventfd.listener.duration=true}.
 */
public class EventFdListenerMetrics implements EventFdListenerObserver {

    private final MeterRegistry meterRegistry;

    /**
     * Create the observer.
     * @param meterRegistry where the meters go
     */
    public EventFdListenerMetrics(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }

    @Override
    public Observation listenerRegistered(String channel, String listener) {
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
        return new Observation() {
            @Override
            public void succeeded(long nanos) {
                duration.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void failed(long nanos, Throwable error) {
                duration.record(nanos, TimeUnit.NANOSECONDS);
                errors.increment();
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
}
