package io.github.eventfd.spring.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgeState;
import io.github.eventfd.spring.bridge.BridgedChannel;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN while a bridge's engine is unreachable (local delivery goes on; signals for other hosts add up); details
 * show each bridge's state, outage time, claim backlog and channels.
 */
public class EventFdBridgeHealthIndicator extends AbstractHealthIndicator {

    private final List<Bridge> bridges;

    /**
     * Create the indicator.
     * @param bridges the bridges to check
     */
    public EventFdBridgeHealthIndicator(List<Bridge> bridges) {
        super("eventfd bridge health check failed");
        this.bridges = List.copyOf(bridges);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        for (Bridge bridge : this.bridges) {
            Map<String, Object> details = new LinkedHashMap<>();
            BridgeState state = bridge.state();
            details.put("state", state);
            if (state == BridgeState.RECONNECTING) {
                builder.down();
                details.put("disconnectedFor", bridge.disconnectedFor().toString());
            }
            details.put("claimBacklog", bridge.claimBacklog());
            Map<String, Object> channels = new LinkedHashMap<>();
            for (BridgedChannel channel : bridge.channels()) {
                channels.put(channel.name(), Map.of("mode", channel.mode(), "bridgesHere", channel.bridgesHere(),
                        "pending", UnsignedCount.toBigInteger(channel.outgoing().pending())));
            }
            details.put("channels", channels);
            builder.withDetail(bridge.engine(), details);
        }
    }
}
