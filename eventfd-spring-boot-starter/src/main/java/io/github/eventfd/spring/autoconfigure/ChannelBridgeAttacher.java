package io.github.eventfd.spring.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.eventfd.share.ShareKind;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgeEngine;
import io.github.eventfd.spring.bridge.BridgeMessage;
import io.github.eventfd.spring.bridge.BridgeMode;
import io.github.eventfd.spring.bridge.BridgedChannel;
import io.github.eventfd.spring.channel.ChannelBridges;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Attaches each channel configured with {@code eventfd.channels.<name>.bridge} to the bridge of its engine once
 * all singletons exist (before any lifecycle starts, so before any bridge runs); the one place that knows the
 * bridge properties' names. A channel whose engine has no bridge fails startup, naming the property.
 */
final class ChannelBridgeAttacher implements SmartInitializingSingleton {

    private static final Pattern NOT_IN_AN_ID = Pattern.compile("[^A-Za-z0-9._:/@-]");

    private final EventFdChannelRegistry registry;

    private final EventFdProperties properties;

    private final ObjectProvider<Bridge> bridges;

    private final List<BridgedChannel> attached = new ArrayList<>();

    ChannelBridgeAttacher(EventFdChannelRegistry registry, EventFdProperties properties, ObjectProvider<Bridge> bridges) {
        this.registry = registry;
        this.properties = properties;
        this.bridges = bridges;
    }

    @Override
    public void afterSingletonsInstantiated() {
        // the host name is looked up only where a channel is bridged: the lookup may ask a name service
        String host = null;
        for (Map.Entry<String, EventFdProperties.Channel> entry : this.properties.getChannels().entrySet()) {
            BridgeEngine engine = entry.getValue().getBridge();
            if (engine == BridgeEngine.NONE) {
                continue;
            }
            String name = entry.getKey();
            String property = ChannelPropertiesMapper.channelProperty(name, "bridge");
            Bridge bridge = bridgeOf(engine, property);
            if (host == null) {
                host = hostId(this.properties.getBridge().getHostId());
            }
            EventFdChannel channel = this.registry.channel(name);
            BridgeMode mode = (entry.getValue().getShare().getKind() == ShareKind.BROADCAST) ? BridgeMode.BROADCAST
                    : BridgeMode.QUEUE;
            this.attached.add(ChannelBridges.attach(channel, bridge, mode, host));
        }
    }

    private Bridge bridgeOf(BridgeEngine engine, String property) {
        String name = engine.name().toLowerCase(java.util.Locale.ROOT);
        for (Bridge bridge : this.bridges) {
            if (bridge.engine().equals(name)) {
                return bridge;
            }
        }
        throw new InvalidEventFdPropertyException(property, name, "asks for the " + name + " bridge, and there is "
                + "none: it needs Spring Data Redis on the class path and a RedisConnectionFactory bean, and, in an "
                + "application processed ahead of time, a channel bridged to it when the application was processed",
                "Add spring-boot-starter-data-redis and point spring.data.redis.* at your Redis, or set " + property
                        + "=none to keep the channel on this host.", null);
    }

    /** The channels attached, in the order of their properties. */
    List<BridgedChannel> attached() {
        return List.copyOf(this.attached);
    }

    /**
     * The configured host id, or the host name made into an id.
     */
    static String hostId(@Nullable String configured) {
        if (configured != null) {
            return configured;
        }
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            }
            catch (UnknownHostException ex) {
                name = "localhost";
            }
        }
        String id = NOT_IN_AN_ID.matcher(name).replaceAll("-");
        if (id.length() > BridgeMessage.MAX_ID_LENGTH) {
            id = id.substring(0, BridgeMessage.MAX_ID_LENGTH);
        }
        return id.isEmpty() ? "localhost" : id;
    }
}
