package io.github.eventfd.spring.actuate;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerContainer;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgeState;
import io.github.eventfd.spring.bridge.BridgedChannel;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.ShareDescription;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code eventfd} actuator endpoint: reads every channel's state, signals, pauses and resumes a channel,
 * and stops and starts a listener ({@code POST /actuator/eventfd/{channel}/{listener}} with {@code action}).
 *
 * <p>Like every endpoint but health, it is not exposed over the web unless
 * {@code management.endpoints.web.exposure.include} names it.
 */
@Endpoint(id = "eventfd")
public class EventFdEndpoint {

    private final EventFdChannelRegistry registry;

    private final EventFdChannelLifecycle lifecycle;

    private final List<Bridge> bridges;

    /**
     * Create the endpoint.
     * @param registry the channels it shows
     * @param lifecycle their delivery
     */
    public EventFdEndpoint(EventFdChannelRegistry registry, EventFdChannelLifecycle lifecycle) {
        this(registry, lifecycle, List.of());
    }

    /**
     * Create the endpoint, showing bridges to other hosts too.
     * @param registry the channels it shows
     * @param lifecycle their delivery
     * @param bridges the bridges that carry channels across hosts
     */
    public EventFdEndpoint(EventFdChannelRegistry registry, EventFdChannelLifecycle lifecycle, List<Bridge> bridges) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.bridges = List.copyOf(bridges);
    }

    /**
     * Every channel.
     * @return the implementation, whether delivery runs, and each channel's state
     */
    @ReadOperation
    public ChannelsDescriptor channels() {
        Map<String, ChannelDescriptor> channels = new LinkedHashMap<>();
        for (EventFdChannel channel : this.registry.channels()) {
            channels.put(channel.channel(), describe(channel));
        }
        Map<String, BridgeDescriptor> bridges = new LinkedHashMap<>();
        for (Bridge bridge : this.bridges) {
            bridges.put(bridge.engine(), BridgeDescriptor.of(bridge));
        }
        return new ChannelsDescriptor(this.registry.implementation(), this.lifecycle.isDelivering(), channels, bridges);
    }

    /**
     * One channel.
     * @param name the channel name
     * @return its state, or {@code null} (404) if there is no such channel
     */
    @ReadOperation
    public @Nullable ChannelDescriptor channel(@Selector String name) {
        return this.registry.find(name).map(EventFdEndpoint::describe).orElse(null);
    }

    /**
     * Signal a channel, or, with an {@code action}, pause or resume it. Over the web,
     * {@link EventFdEndpointWebExtension} answers 404 for a channel that does not exist and 400 for a count out of
     * range or an unknown action.
     * @param name the channel name
     * @param count the value to add, 1 when absent
     * @param action {@code pause} or {@code resume} instead of a signal, or {@code null} to signal
     * @return the channel's state after, or {@code null} if there is no such channel
     * @throws InvalidEndpointRequestException if {@code count} is 0 or negative, if {@code action} is not
     * {@code pause} or {@code resume}, or if both are given
     */
    @WriteOperation
    public @Nullable ChannelDescriptor signal(@Selector String name, @Nullable Long count, @Nullable String action) {
        if (action != null) {
            ChannelAction channelAction = ChannelAction.of(action);
            if (count != null) {
                throw invalid("give either 'count' (to signal) or 'action' (" + ChannelAction.NAMES + "), not both");
            }
            EventFdChannel channel = this.registry.find(name).orElse(null);
            if (channel == null) {
                return null;
            }
            channelAction.apply(channel);
            return describe(channel);
        }
        long n = checkCount(count);
        EventFdChannel channel = this.registry.find(name).orElse(null);
        if (channel == null) {
            return null;
        }
        channel.signal(n);
        return describe(channel);
    }

    /**
     * One listener of a channel.
     * @param name the channel name
     * @param listener the listener's id
     * @return its state, or {@code null} (404) if the channel has no such listener
     */
    @ReadOperation
    public @Nullable ListenerDescriptor listener(@Selector String name, @Selector String listener) {
        return container(name, listener).map(EventFdEndpoint::describe).orElse(null);
    }

    /**
     * Stop or start one listener. Over the web, {@link EventFdEndpointWebExtension} answers 404 for a channel or
     * listener that does not exist and 400 for an unknown action.
     * @param name the channel name
     * @param listener the listener's id
     * @param action {@code stop} or {@code start}
     * @return the listener's state after, or {@code null} if the channel has no such listener
     * @throws InvalidEndpointRequestException if {@code action} is neither
     */
    @WriteOperation
    public @Nullable ListenerDescriptor listener(@Selector String name, @Selector String listener, String action) {
        ListenerAction listenerAction = ListenerAction.of(action);
        EventFdListenerContainer container = container(name, listener).orElse(null);
        if (container == null) {
            return null;
        }
        listenerAction.apply(container);
        return describe(container);
    }

    private Optional<EventFdListenerContainer> container(String name, String listener) {
        return this.registry.find(name).flatMap(channel -> channel.listener(listener));
    }

    /**
     * The names of a channel's listeners, for a request that names none of them.
     * @param name the channel name
     * @return their ids, or empty if there is no such channel
     */
    List<String> listenerIds(String name) {
        return this.registry.find(name).map(EventFdChannel::listeners).orElse(List.of());
    }

    static InvalidEndpointRequestException invalid(String problem) {
        return new InvalidEndpointRequestException(problem, problem);
    }

    /**
     * The names of the channels, for a request that names none of them.
     * @return the names, sorted
     */
    List<String> channelNames() {
        return this.registry.channels().stream().map(EventFdChannel::channel).toList();
    }

    private static long checkCount(@Nullable Long count) {
        if (count == null) {
            return 1L;
        }
        if (count < 1) {
            throw invalid("'count' must be between 1 and " + Long.MAX_VALUE + " but was " + count);
        }
        return count;
    }

    private static ChannelDescriptor describe(EventFdChannel channel) {
        BigInteger pending = channel.isClosed() ? BigInteger.ZERO : UnsignedCount.toBigInteger(channel.pendingCount());
        return new ChannelDescriptor(channel.implementation(), channel.mode(), channel.dispatch(),
                channel.descriptorNumber(), pending, UnsignedCount.toBigInteger(channel.sentCount()),
                UnsignedCount.toBigInteger(channel.receivedCount()),
                channel.wakeupCount(), channel.isPaused(), listeners(channel), channel.isClosed(),
                channel.sharing().map(ShareDescription::of).orElse(null));
    }

    private static Map<String, ListenerDescriptor> listeners(EventFdChannel channel) {
        Map<String, ListenerDescriptor> listeners = new LinkedHashMap<>();
        for (EventFdListenerContainer container : channel.listenerContainers()) {
            listeners.put(container.id(), describe(container));
        }
        return listeners;
    }

    private static ListenerDescriptor describe(EventFdListenerContainer container) {
        return new ListenerDescriptor(container.isRunning());
    }

    /** What {@code action} does to a channel. */
    private enum ChannelAction {

        PAUSE, RESUME;

        static final String NAMES = "pause or resume";

        static ChannelAction of(String action) {
            for (ChannelAction candidate : values()) {
                if (candidate.name().equalsIgnoreCase(action)) {
                    return candidate;
                }
            }
            throw invalid("'action' must be " + NAMES + " but was '" + action + "'");
        }

        void apply(EventFdChannel channel) {
            if (this == PAUSE) {
                channel.pause();
            }
            else {
                channel.resume();
            }
        }
    }

    /** What {@code action} does to a listener. */
    private enum ListenerAction {

        STOP, START;

        static ListenerAction of(String action) {
            for (ListenerAction candidate : values()) {
                if (candidate.name().equalsIgnoreCase(action)) {
                    return candidate;
                }
            }
            throw invalid("'action' must be stop or start but was '" + action + "' (pause and resume act on the "
                    + "channel: POST to /actuator/eventfd/{channel})");
        }

        void apply(EventFdListenerContainer container) {
            if (this == STOP) {
                container.stop();
            }
            else {
                container.start();
            }
        }
    }

    /**
     * Every channel.
     * @param implementation what backs the channels
     * @param delivering whether delivery runs
     * @param channels each channel by name
     * @param bridges each bridge to other hosts by engine, empty without any
     */
    public record ChannelsDescriptor(CounterImplementation implementation, boolean delivering,
            Map<String, ChannelDescriptor> channels, Map<String, BridgeDescriptor> bridges)
            implements OperationResponseBody {
    }

    /**
     * One bridge to other hosts.
     * @param state connected or reconnecting
     * @param disconnectedFor how long the engine has been unreachable, {@code PT0S} when connected
     * @param claimBacklog units of bridged queues waiting in the engine
     * @param resyncs times the bridged channels were told to resync
     * @param channels each bridged channel: mode, whether this process delivers incoming counts, sent and
     * received sums and the count waiting to be sent
     */
    public record BridgeDescriptor(BridgeState state, String disconnectedFor, long claimBacklog, long resyncs,
            Map<String, Map<String, Object>> channels) {

        static BridgeDescriptor of(Bridge bridge) {
            Map<String, Map<String, Object>> channels = new LinkedHashMap<>();
            for (BridgedChannel channel : bridge.channels()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("mode", channel.mode());
                details.put("bridgesHere", channel.bridgesHere());
                details.put("sent", UnsignedCount.toBigInteger(channel.sentCount()));
                details.put("received", UnsignedCount.toBigInteger(channel.receivedCount()));
                details.put("pending", UnsignedCount.toBigInteger(channel.outgoing().pending()));
                channels.put(channel.name(), details);
            }
            return new BridgeDescriptor(bridge.state(), bridge.disconnectedFor().toString(), bridge.claimBacklog(),
                    bridge.resyncCount(), channels);
        }
    }

    /**
     * One channel.
     * @param implementation eventfd or in-memory
     * @param mode counter or semaphore
     * @param dispatch executor or inline
     * @param fd the eventfd descriptor number, -1 for in-memory
     * @param pending the count not yet delivered
     * @param sent sum of the values signalled by this application
     * @param received sum of the values delivered
     * @param wakeups number of deliveries
     * @param paused whether the channel is paused: its signals stay in the counter
     * @param listeners the {@code @EventFdListener} methods by id, in the order the channel calls them
     * @param closed whether the channel is closed
     * @param share how the channel is shared with other processes, or {@code null}
     */
    public record ChannelDescriptor(CounterImplementation implementation, EventFdMode mode, Dispatch dispatch, int fd,
            BigInteger pending, BigInteger sent, BigInteger received, long wakeups, boolean paused,
            Map<String, ListenerDescriptor> listeners, boolean closed, @Nullable ShareDescription share)
            implements OperationResponseBody {
    }

    /**
     * One {@code @EventFdListener} method.
     * @param running whether its channel calls it
     */
    public record ListenerDescriptor(boolean running) implements OperationResponseBody {
    }
}
