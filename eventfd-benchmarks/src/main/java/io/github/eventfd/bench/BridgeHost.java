package io.github.eventfd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import io.github.eventfd.spring.autoconfigure.EventFdRedisBridgeAutoConfiguration;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.bridge.BridgedChannel;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One "host" of the bridge benchmarks: a small Spring Boot application with the starter whose channels are
 * shared through a socket directory of its own and bridged through Redis with a host id of its own, so that Redis
 * is the only path between two of them. What it listens to is one of the nested configurations.
 */
final class BridgeHost {

    private BridgeHost() {
    }

    /**
     * Start a host.
     * @param role what the host listens to: {@link Pinger}, {@link Ponger}, {@link Counter} or {@link Producer}
     * @param port the Redis port on 127.0.0.1
     * @param hostId the value of {@code eventfd.bridge.host-id}
     * @param sockets the host's socket directory, created if missing
     * @param prefix the Redis channel prefix, new for each run so that runs never hear each other
     * @param channels the channels, each bridged as a broadcast and dispatched inline
     */
    static ConfigurableApplicationContext start(Class<?> role, int port, String hostId, Path sockets, String prefix,
            String... channels) throws Exception {
        Files.createDirectories(sockets);
        List<String> properties = new ArrayList<>(List.of("spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + port, "eventfd.bridge.host-id=" + hostId,
                "eventfd.bridge.redis.channel-prefix=" + prefix, "eventfd.bridge.redis.key-prefix=" + prefix + "queue:",
                "logging.level.root=warn"));
        for (String channel : channels) {
            String base = "eventfd.channels." + channel + ".";
            properties.add(base + "bridge=redis");
            properties.add(base + "dispatch=inline");
            properties.add(base + "share.kind=broadcast");
            properties.add(base + "share.socket=" + sockets.resolve(channel + ".sock"));
        }
        return new SpringApplicationBuilder(BridgedApplication.class, role).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).properties(properties.toArray(String[]::new)).run();
    }

    static EventFdChannel channel(ConfigurableApplicationContext context, String name) {
        return context.getBean(EventFdChannelRegistry.class).channel(name);
    }

    /** The channel as the bridge sees it: its counts sent and received. */
    static BridgedChannel bridged(ConfigurableApplicationContext context, String name) {
        return context.getBean(Bridge.class).channels().stream().filter(channel -> channel.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalStateException("channel '" + name + "' is not bridged"));
    }

    /** The starter with its bridge and Boot's Redis connection. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ EventFdAutoConfiguration.class,
                        EventFdRedisBridgeAutoConfiguration.class,
            DataRedisAutoConfiguration.class })
    static class BridgedApplication {

    }

    /** Measures: signals "ping" and answers every "pong" on a plain eventfd that the measuring thread reads. */
    @Configuration(proxyBeanMethods = false)
    static class Pinger {

        @Bean(destroyMethod = "close")
        EventFd back() {
            return EventFd.create();
        }

        @Bean
        PongListener pongListener(EventFd back) {
            return new PongListener(back);
        }
    }

    /** Rings the measuring thread's eventfd at each "pong". */
    static final class PongListener {

        private final EventFd back;

        PongListener(EventFd back) {
            this.back = back;
        }

        @EventFdListener("pong")
        void onPong() {
            this.back.signal();
        }
    }

    /** The other host of the round trip: signals "pong" at each "ping". */
    @Configuration(proxyBeanMethods = false)
    static class Ponger {

        @Bean
        PingListener pingListener(@Qualifier("pong") EventFdNotifier pong) {
            return new PingListener(pong);
        }
    }

    /** Answers every delivery of "ping" on "pong". */
    static final class PingListener {

        private final EventFdNotifier pong;

        PingListener(EventFdNotifier pong) {
            this.pong = pong;
        }

        @EventFdListener("ping")
        void onPing() {
            this.pong.signal();
        }
    }

    /** The receiving host of the coalescing run: adds up what arrives on "flood". */
    @Configuration(proxyBeanMethods = false)
    static class Counter {

        @Bean
        FloodListener floodListener() {
            return new FloodListener();
        }
    }

    /** The sum of the counts delivered on "flood". */
    static final class FloodListener {

        final AtomicLong delivered = new AtomicLong();

        @EventFdListener("flood")
        void onFlood(long count) {
            this.delivered.addAndGet(count);
        }
    }

    /** The producing host of the coalescing run: no listener, only the channel. */
    @Configuration(proxyBeanMethods = false)
    static class Producer {

    }
}
