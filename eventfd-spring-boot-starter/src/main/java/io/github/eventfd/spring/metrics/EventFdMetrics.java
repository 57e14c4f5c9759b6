package io.github.eventfd.spring.metrics;

import io.github.eventfd.share.ShareErrorReason;
import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Channel meters, tagged {@code channel}: signals sent and received, signals a commit could not write,
 * wake-ups, pending count, and the deliveries a plain {@code @EventListener} aborted. They read the channel's
 * own counters, so signalling and delivering never touch Micrometer and allocate nothing for it.
 * <p>
 * What these meters count are events, not units, so none has a base unit: Prometheus exposes them as
 * {@code eventfd_signals_sent_total}, {@code eventfd_pending}, {@code eventfd_peers} and so on, as its naming
 * guide asks, rather than repeating a pseudo-unit ({@code eventfd_signals_sent_signals_total}).
 */
public class EventFdMetrics implements MeterBinder {

    /** Tag value of {@code eventfd.listener.errors} for failures of plain {@code @EventListener} methods. */
    public static final String PLAIN_LISTENER = "event-listener";

    private final EventFdChannelRegistry registry;

    /**
     * Create the binder.
     * @param registry the channels to measure
     */
    public EventFdMetrics(EventFdChannelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry.forEachChannel(channel -> bind(channel, meterRegistry));
    }

    private static void bind(EventFdChannel channel, MeterRegistry meterRegistry) {
        Tags tags = Tags.of("channel", channel.channel());
        FunctionCounter.builder("eventfd.signals.sent", channel, c -> UnsignedCount.toDouble(c.sentCount()))
                .description("Sum of the values signalled on the channel by this application")
                .tags(tags).register(meterRegistry);
        FunctionCounter.builder("eventfd.signals.received", channel,
                c -> UnsignedCount.toDouble(c.receivedCount()))
                .description("Sum of the values read from the channel and delivered to its listeners")
                .tags(tags).register(meterRegistry);
        FunctionCounter.builder("eventfd.signals.failed", channel, EventFdChannel::failedSignalCount)
                .description("Sums signalled inside transactions that committed and could not be written after the "
                        + "commit (channel closed, counter full); each is logged")
                .tags(tags).register(meterRegistry);
        FunctionCounter.builder("eventfd.wakeups", channel, EventFdChannel::wakeupCount)
                .description("Deliveries: reads that returned a value; received / wakeups is the coalescing ratio")
                .tags(tags).register(meterRegistry);
        Gauge.builder("eventfd.pending", channel, EventFdMetrics::pending)
                .description("Count signalled on the channel and not yet delivered")
                .tags(tags).register(meterRegistry);
        FunctionCounter.builder("eventfd.listener.errors", channel, EventFdChannel::deliveryErrorCount)
                .description("Listener invocations that threw")
                .tags(tags.and("listener", PLAIN_LISTENER)).register(meterRegistry);
        if (channel.isShared()) {
            Gauge.builder("eventfd.peers", channel, EventFdMetrics::peers)
                    .description("Processes at the other end of the sharing socket: attached peers when serving, "
                            + "the server when attached")
                    .tags(tags).register(meterRegistry);
            for (ShareErrorReason reason : ShareErrorReason.values()) {
                FunctionCounter.builder("eventfd.share.errors", channel, c -> c.shareErrorCount(reason))
                        .description("Peers or messages refused, or failures talking to a peer, on the sharing socket")
                        .tags(tags.and("reason", reason.tag())).register(meterRegistry);
            }
        }
    }

    private static double peers(EventFdChannel channel) {
        return channel.sharing().map(shared -> shared.peers().size()).orElse(0);
    }

    private static double pending(EventFdChannel channel) {
        try {
            return UnsignedCount.toDouble(channel.pendingCount());
        }
        catch (RuntimeException ex) {
            return Double.NaN;
        }
    }
}
