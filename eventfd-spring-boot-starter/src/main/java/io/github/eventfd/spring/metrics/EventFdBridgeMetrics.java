package io.github.eventfd.spring.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgeErrorReason;
import io.github.eventfd.spring.bridge.BridgeState;
import io.github.eventfd.spring.bridge.BridgedChannel;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Bridge meters, tagged {@code engine} (and {@code channel} or {@code reason}): counts sent to and received from
 * other hosts, what waits to be sent, refused messages and failed commands, the outage going on, the claim
 * backlog and resyncs. They read the bridges' own counters: signalling never touches Micrometer.
 */
public class EventFdBridgeMetrics implements MeterBinder {

    private final List<Bridge> bridges;

    /**
     * Create the binder.
     * @param bridges the bridges to measure
     */
    public EventFdBridgeMetrics(List<Bridge> bridges) {
        this.bridges = List.copyOf(bridges);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Bridge bridge : this.bridges) {
            bind(bridge, registry);
        }
    }

    private static void bind(Bridge bridge, MeterRegistry registry) {
        Tags engine = Tags.of("engine", bridge.engine());
        for (BridgedChannel channel : bridge.channels()) {
            Tags tags = engine.and("channel", channel.name());
            FunctionCounter.builder("eventfd.bridge.sent", channel, c -> UnsignedCount.toDouble(c.sentCount()))
                    .description("Sum of the counts signalled here that the engine took for other hosts")
                    .tags(tags).register(registry);
            FunctionCounter.builder("eventfd.bridge.received", channel, c -> UnsignedCount.toDouble(c.receivedCount()))
                    .description("Sum of the counts from other hosts delivered to the local channel")
                    .tags(tags).register(registry);
            Gauge.builder("eventfd.bridge.pending", channel, c -> UnsignedCount.toDouble(c.outgoing().pending()))
                    .description("Count signalled here and not yet sent to the engine (it grows during an outage)")
                    .tags(tags).register(registry);
        }
        for (BridgeErrorReason reason : BridgeErrorReason.values()) {
            FunctionCounter.builder("eventfd.bridge.errors", bridge, b -> b.errors().count(reason))
                    .description("Incoming messages refused, and engine commands that failed, by reason")
                    .tags(engine.and("reason", reason.tag())).register(registry);
        }
        TimeGauge.builder("eventfd.bridge.outage", bridge, TimeUnit.MILLISECONDS, b -> b.disconnectedFor().toMillis())
                .description("How long the engine has been unreachable, 0 when connected").tags(engine)
                .register(registry);
        Gauge.builder("eventfd.bridge.connected", bridge, b -> (b.state() == BridgeState.CONNECTED) ? 1 : 0)
                .description("1 when the engine is reachable, 0 otherwise").tags(engine).register(registry);
        Gauge.builder("eventfd.bridge.backlog", bridge, b -> b.claimBacklog())
                .description("Units of bridged queues waiting in the engine for a host to claim them")
                .tags(engine).register(registry);
        FunctionCounter.builder("eventfd.bridge.resyncs", bridge, Bridge::resyncCount)
                .description("Times every bridged channel was told to resync after the engine came back")
                .tags(engine).register(registry);
    }
}
