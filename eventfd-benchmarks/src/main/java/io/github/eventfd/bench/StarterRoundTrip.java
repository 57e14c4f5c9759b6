package io.github.eventfd.bench;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The starter end to end: {@code EventFdNotifier.signal()} to an {@code @EventFdListener} method, which
 * answers on a plain eventfd that the sending thread reads.
 */
final class StarterRoundTrip {

    private StarterRoundTrip() {
    }

    static RoundTrip start(String dispatch, Placement placement) {
        return start(new SpringApplicationBuilder(BenchApplication.class).properties(
                "eventfd.channels.ping.dispatch=" + dispatch, "logging.level.root=warn"), placement);
    }

    /**
     * The same round trip with channel "ping" bridged through Redis as a broadcast: each signal also goes to the
     * bridge, which publishes it; the local path is what is measured.
     */
    static RoundTrip startBridged(String dispatch, int redisPort, Placement placement) {
        return start(new SpringApplicationBuilder(BenchApplication.class, BridgeHost.BridgedApplication.class)
                .properties("eventfd.channels.ping.dispatch=" + dispatch, "eventfd.channels.ping.bridge=redis",
                        "eventfd.channels.ping.share.kind=broadcast", "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redisPort, "eventfd.bridge.host-id=" + BridgeRoundTrips.HOST_ID,
                        "eventfd.bridge.redis.channel-prefix=" + BridgeRoundTrips.prefix(), "logging.level.root=warn"),
                placement);
    }

    private static RoundTrip start(SpringApplicationBuilder builder, Placement placement) {
        ConfigurableApplicationContext context = builder.web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false).run();
        EventFdNotifier ping = context.getBean(EventFdNotifier.class);
        EventFd back = context.getBean(EventFd.class);
        context.getBean(Echo.class).placement = placement;
        return new RoundTrip() {
            @Override
            public void roundTrip() {
                ping.signal();
                back.read();
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }

    /** The smallest application with the starter and one listener. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration(EventFdAutoConfiguration.class)
    static class BenchApplication {

        @Bean(destroyMethod = "close")
        EventFd back() {
            return EventFd.create();
        }

        @Bean
        Echo echo(EventFd back) {
            return new Echo(back);
        }
    }

    /** Answers every delivery of channel "ping". */
    static class Echo {

        private final EventFd back;

        /** Where the listener's thread pins itself; set once before the first round trip. */
        volatile Placement placement = Placement.sameCpu(0);

        Echo(EventFd back) {
            this.back = back;
        }

        @EventFdListener("ping")
        void onPing() {
            this.back.signal();
            this.placement.tick();
        }
    }
}
