package io.github.eventfd.spring.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.ShareRole;
import io.github.eventfd.share.ShareState;
import io.github.eventfd.share.SharedChannel;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.annotation.InvalidEventFdListenerException;
import io.github.eventfd.spring.actuate.EventFdEndpoint;
import io.github.eventfd.spring.channel.ChannelSharingException;
import io.github.eventfd.spring.health.EventFdHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two or three application contexts in one JVM share a channel through its socket. */
@EnabledOnOs(OS.LINUX)
class EventFdSharingTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class, EventFdMetricsAutoConfiguration.class,
                    EventFdEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    EndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=eventfd");

    private ApplicationContextRunner shared(String kind) {
        return this.contextRunner.withPropertyValues("eventfd.channels.orders.share.socket=" + this.directory.resolve("s/orders.sock"),
                "eventfd.channels.orders.share.kind=" + kind, "eventfd.channels.orders.share.reconnect-interval=20ms");
    }

    @Test
    void whenTwoApplicationsShareAQueueThenSignalsFromEitherReachTheListener() {
        shared("queue").withBean(TestListeners.SharedOrders.class).run(consumer -> shared("queue").run(producer -> {
            EventFdChannel producing = producer.getBean(EventFdChannelRegistry.class).channel("orders");
            EventFdChannel consuming = consumer.getBean(EventFdChannelRegistry.class).channel("orders");
            assertThat(consuming.sharing()).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(ShareState.SERVING));
            assertThat(producing.sharing()).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(ShareState.ATTACHED));
            for (int i = 0; i < 1000; i++) {
                producing.signal();
            }
            consuming.signal(5);
            TestListeners.SharedOrders listener = consumer.getBean(TestListeners.SharedOrders.class);
            await().until(() -> listener.received.get() == 1005);
            assertThat(producing.receivedCount()).isZero();
            MeterRegistry meters = consumer.getBean(MeterRegistry.class);
            await().until(() -> meters.get("eventfd.peers").tag("channel", "orders").gauge().value() == 1);
            assertThat(meters.get("eventfd.share.errors").tags("channel", "orders", "reason", "denied-uid")
                    .functionCounter().count()).isZero();
            EventFdEndpoint.ChannelDescriptor described = consumer.getBean(EventFdEndpoint.class).channel("orders");
            assertThat(described.share().state()).isEqualTo(ShareState.SERVING);
            assertThat(described.share().attached()).isTrue();
            assertThat(described.share().peers()).hasSize(1);
        }));
    }

    @Test
    void whenThreeApplicationsShareABroadcastThenEachListenerSeesEverySignal() {
        ApplicationContextRunner runner = shared("broadcast").withBean(TestListeners.SharedOrders.class);
        runner.run(a -> runner.run(b -> runner.run(c -> {
            EventFdChannelRegistry registry = b.getBean(EventFdChannelRegistry.class);
            await().until(() -> a.getBean(EventFdChannelRegistry.class).channel("orders").sharing().get().peers().size() == 2);
            registry.channel("orders").signal(10);
            a.getBean(EventFdChannelRegistry.class).channel("orders").signal(1);
            for (var context : List.of(a, b, c)) {
                TestListeners.SharedOrders listener = context.getBean(TestListeners.SharedOrders.class);
                await().until(() -> listener.received.get() == 11);
            }
        })));
    }

    @Test
    void whenAttachingThenResyncListenersAndEventsAreCalled() {
        shared("queue").run(server -> shared("queue").withBean(TestListeners.SharedOrders.class).run(attached -> {
            TestListeners.SharedOrders listener = attached.getBean(TestListeners.SharedOrders.class);
            await().until(() -> listener.resyncCalls.get() == 1 && listener.resyncEvents.size() == 1);
            assertThat(listener.resyncEvents.get(0).getReason()).startsWith("attached to pid");
            assertThat(listener.received.get()).isZero();
        }));
    }

    @Test
    void whenServingApplicationClosesThenTheOtherTakesOverAndKeepsTheCount() {
        shared("queue").run(survivor -> {
            EventFdChannel channel;
            var first = shared("queue").withBean(TestListeners.SharedOrders.class);
            first.run(leaving -> {
                // the first context in this test serves; the one inside attaches
            });
            channel = survivor.getBean(EventFdChannelRegistry.class).channel("orders");
            channel.signal(4);
            await().until(() -> channel.sharing().get().state() == ShareState.SERVING);
            assertThat(channel.pendingCount()).isEqualTo(4);
        });
    }

    @Test
    void whenTheServerIsGoneThenHealthStaysUpDuringTheTakeoverWindowAndIsDownOnlyPastTheAttachTimeout() {
        shared("queue").run(server -> shared("queue").withBean(TestListeners.SharedOrders.class)
                .withConfiguration(AutoConfigurations.of(EventFdHealthContributorAutoConfiguration.class))
                .withPropertyValues("eventfd.channels.orders.share.role=attach",
                        "eventfd.channels.orders.share.attach-timeout=5s")
                .run(member -> {
                    EventFdHealthIndicator health = member.getBean(EventFdHealthIndicator.class);
                    EventFdChannel channel = member.getBean(EventFdChannelRegistry.class).channel("orders");
                    assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
                    server.close();
                    await().until(() -> channel.sharing().get().state() == ShareState.RECONNECTING);
                    // a member that may not serve waits for the next server: not down at once (the window is the
                    // attach timeout, long enough for a busy machine to get from the state above to this check)
                    assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
                    await().atMost(Duration.ofSeconds(10)).until(() -> health.health(true).getStatus() == Status.DOWN);
                    shared("queue").run(next -> {
                        await().atMost(Duration.ofSeconds(10)).until(() -> health.health(true).getStatus() == Status.UP);
                        assertThat(channel.sharing().get().state()).isEqualTo(ShareState.ATTACHED);
                    });
                }));
    }

    @Test
    void whenRoleAttachAndNobodyServesThenStartupFailsAfterTheAttachTimeout() {
        shared("queue").withPropertyValues("eventfd.channels.orders.share.role=attach",
                "eventfd.channels.orders.share.attach-timeout=300ms").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("nobody serves " + this.directory.resolve("s/orders.sock"))
                            .hasMessageContaining("may not serve (role attach); gave up after PT0.3S");
                });
    }

    @Test
    void whenRoleAttachAndNobodyServesThenEveryBeanIsCreatedAndTheStartFailsNamingTheChannelAndSocket() {
        AtomicBoolean created = new AtomicBoolean();
        shared("queue").withPropertyValues("eventfd.channels.orders.share.role=attach",
                "eventfd.channels.orders.share.attach-timeout=300ms")
                .withBean(AllCreated.class, () -> new AllCreated(() -> created.set(true))).run(context -> {
                    assertThat(context).hasFailed();
                    // bean creation did not wait for a server: the start did, and failed
                    assertThat(created).isTrue();
                    assertThat(context.getStartupFailure()).hasMessageContaining("Failed to start bean")
                            .cause().isInstanceOf(ChannelSharingException.class)
                            .hasMessageStartingWith("eventfd channel 'orders' could not be shared through "
                                    + this.directory.resolve("s/orders.sock"))
                            .rootCause().hasMessageContaining("may not serve (role attach); gave up after PT0.3S");
                });
    }

    @Test
    void whenTheServerStartsOnlyOnceEveryBeanIsCreatedThenTheChannelAttachesWhenTheContextStarts() {
        AtomicReference<SharedChannel> server = new AtomicReference<>();
        Path socket = this.directory.resolve("s/orders.sock");
        try {
            shared("queue").withPropertyValues("eventfd.channels.orders.share.role=attach",
                    "eventfd.channels.orders.share.attach-timeout=30s")
                    .withBean(TestListeners.SharedOrders.class)
                    .withBean(AllCreated.class, () -> new AllCreated(() -> server.set(SharedChannel.open(
                            ShareOptions.builder("orders", socket).role(ShareRole.OWNER).build()))))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        EventFdChannel channel = context.getBean(EventFdChannelRegistry.class).channel("orders");
                        assertThat(channel.sharing()).hasValueSatisfying(
                                shared -> assertThat(shared.state()).isEqualTo(ShareState.ATTACHED));
                        server.get().signal(3);
                        TestListeners.SharedOrders listener = context.getBean(TestListeners.SharedOrders.class);
                        await().until(() -> listener.received.get() == 3);
                    });
        }
        finally {
            if (server.get() != null) {
                server.get().close();
            }
        }
    }

    @Test
    void whenABeanSignalsASharedChannelBeforeTheContextStartedThenTheCountReachesTheOtherProcesses() {
        shared("queue").withBean(TestListeners.SharedOrders.class).run(consumer -> shared("queue")
                .withBean(SignalsWhenCreated.class).run(producer -> {
                    assertThat(producer.getBean(SignalsWhenCreated.class).pendingBeforeStart).isEqualTo(4);
                    TestListeners.SharedOrders listener = consumer.getBean(TestListeners.SharedOrders.class);
                    await().until(() -> listener.received.get() == 4);
                    assertThat(producer.getBean(EventFdChannelRegistry.class).channel("orders").sentCount()).isEqualTo(4);
                }));
    }

    @Test
    void whenRoleOwnerAndAnotherApplicationServesThenStartupFails() {
        shared("queue").run(server -> shared("queue").withPropertyValues("eventfd.channels.orders.share.role=owner")
                .run(owner -> {
                    assertThat(owner).hasFailed();
                    assertThat(owner.getStartupFailure()).rootCause()
                            .hasMessageContaining("has role owner but another process serves");
                    assertThat(server.getBean(EventFdChannelRegistry.class).channel("orders").sharing().get().state())
                            .isEqualTo(ShareState.SERVING);
                }));
    }

    @Test
    void whenPeerUidNotAllowedThenItIsRefusedAndCounted() {
        int self = SharedChannel.currentUid();
        int other = (self == 65534) ? 65533 : 65534;
        shared("queue").withPropertyValues("eventfd.channels.orders.share.allowed-uids=" + other).run(server -> shared(
                "queue").withPropertyValues("eventfd.channels.orders.share.role=attach",
                        "eventfd.channels.orders.share.attach-timeout=300ms").run(refused -> {
                            assertThat(refused).hasFailed();
                            assertThat(refused.getStartupFailure()).rootCause().hasMessageContaining(
                                    "uid " + self).hasMessageContaining("allowed uids are [" + other + "]");
                            MeterRegistry meters = server.getBean(MeterRegistry.class);
                            // the server counts a refusal right after sending it: the count may trail the reply
                            await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("eventfd.share.errors")
                                    .tags("channel", "orders", "reason", "denied-uid").functionCounter().count() > 0);
                        }));
    }

    @Test
    void whenSocketModeGivenThenSocketFileHasIt() {
        shared("queue").withPropertyValues("eventfd.channels.orders.share.socket-mode=0660").run(context -> {
            Path socket = this.directory.resolve("s/orders.sock");
            assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
        });
    }

    @Test
    void whenSocketModeInvalidThenStartupFailsNamingTheProperty() {
        shared("queue").withPropertyValues("eventfd.channels.orders.share.socket-mode=0755").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must not set execute bits but was '0755'");
        });
    }

    @Test
    void whenResyncOnASignalEventParameterThenStartupFails() {
        this.contextRunner.withBean(TestListeners.BadResync.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(InvalidEventFdListenerException.class)
                    .hasMessageContaining("BadResync.wrong(io.github.eventfd.spring.EventFdSignalEvent)")
                    .hasMessageContaining("Take no parameter or an EventFdChannelEvent");
        });
    }

    @Test
    void whenResyncOnACountParameterThenStartupFailsNamingTheMethodAndTheFix() {
        this.contextRunner.withBean(TestListeners.CountOnResync.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(InvalidEventFdListenerException.class)
                    .hasMessageContaining("TestListeners$CountOnResync.counted(long)")
                    .hasMessageContaining("a resync carries none")
                    .hasMessageContaining("instanceof EventFdResyncEvent");
        });
    }

    /** Runs an action once every singleton is created, before the context starts its lifecycle beans. */
    static class AllCreated implements SmartInitializingSingleton {

        private final Runnable action;

        AllCreated(Runnable action) {
            this.action = action;
        }

        @Override
        public void afterSingletonsInstantiated() {
            this.action.run();
        }
    }

    /** Signals the shared channel while it is created, long before the context starts. */
    static class SignalsWhenCreated {

        final long pendingBeforeStart;

        SignalsWhenCreated(@Qualifier("orders") EventFdNotifier orders) {
            orders.signal(4);
            this.pendingBeforeStart = orders.pendingCount();
        }
    }
}
