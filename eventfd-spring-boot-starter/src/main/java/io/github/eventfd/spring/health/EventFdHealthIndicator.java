package io.github.eventfd.spring.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.eventfd.UnsignedCount;
import io.github.eventfd.share.ShareState;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.ShareDescription;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN when the poller died, a channel is closed while the application runs, or a shared channel has been
 * without a server for longer than its attach timeout (a takeover in progress is not down); details show what
 * backs the channels and each channel's state.
 */
public class EventFdHealthIndicator extends AbstractHealthIndicator {

    private final EventFdChannelRegistry registry;

    private final EventFdChannelLifecycle lifecycle;

    /**
     * Create the indicator.
     * @param registry the channels to check
     * @param lifecycle their delivery
     */
    public EventFdHealthIndicator(EventFdChannelRegistry registry, EventFdChannelLifecycle lifecycle) {
        super("eventfd health check failed");
        this.registry = registry;
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        Throwable failure = this.lifecycle.pollerFailure();
        if (failure != null) {
            builder.down().withDetail("pollerFailure", String.valueOf(failure));
        }
        Map<String, Object> channels = new LinkedHashMap<>();
        for (EventFdChannel channel : this.registry.channels()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", channel.mode());
            details.put("dispatch", channel.dispatch());
            details.put("closed", channel.isClosed());
            if (channel.isClosed()) {
                if (this.lifecycle.isRunning()) {
                    builder.down();
                }
            }
            else {
                details.put("pending", UnsignedCount.toBigInteger(channel.pendingCount()));
            }
            channel.sharing().ifPresent(shared -> {
                details.put("share", ShareDescription.of(shared));
                Duration without = shared.reconnectingFor();
                if (!without.isZero()) {
                    details.put("reconnectingFor", without.toString());
                }
                // a takeover takes a moment: only a channel without a server for longer than it may wait for one
                // at startup is down
                Duration bound = shared.shareOptions().attachTimeout();
                if (this.lifecycle.isRunning() && (shared.state() == ShareState.DETACHED || without.compareTo(bound) > 0)) {
                    builder.down();
                }
            });
            channels.put(channel.channel(), details);
        }
        builder.withDetail("implementation", this.registry.implementation())
                .withDetail("delivering", this.lifecycle.isDelivering()).withDetail("channels", channels);
    }
}
