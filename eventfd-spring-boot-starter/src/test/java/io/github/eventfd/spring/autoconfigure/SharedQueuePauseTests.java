package io.github.eventfd.spring.autoconfigure;

import java.nio.file.Path;

import io.github.eventfd.share.ShareState;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.TestListeners;
import io.github.eventfd.spring.channel.ChannelTestAccess;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pausing a consumer of a shared queue, and a resync (an attach or takeover) while it is paused. */
@EnabledOnOs(OS.LINUX)
class SharedQueuePauseTests {

    @TempDir
    Path directory;

    private ApplicationContextRunner shared() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
                .withPropertyValues("eventfd.channels.orders.share.socket=" + this.directory.resolve("s/orders.sock"),
                        "eventfd.channels.orders.share.kind=queue",
                        "eventfd.channels.orders.share.reconnect-interval=20ms");
    }

    @Test
    void whenAConsumerIsPausedThenItTakesNoUnitsAndAfterResumeTheTwoShareTheRestExactly() {
        shared().withBean(TestListeners.SharedOrders.class).run(a -> shared().withBean(TestListeners.SharedOrders.class)
                .run(b -> {
                    EventFdChannel channelA = a.getBean(EventFdChannelRegistry.class).channel("orders");
                    EventFdChannel channelB = b.getBean(EventFdChannelRegistry.class).channel("orders");
                    TestListeners.SharedOrders listenerA = a.getBean(TestListeners.SharedOrders.class);
                    TestListeners.SharedOrders listenerB = b.getBean(TestListeners.SharedOrders.class);
                    await().until(() -> channelB.sharing().map(s -> s.state() == ShareState.ATTACHED).orElse(false));
                    long beforeB = listenerB.received.get();
                    channelB.pause();
                    for (int i = 0; i < 500; i++) {
                        channelB.signal();
                    }
                    await().until(() -> listenerA.received.get() == 500);
                    assertThat(listenerB.received.get()).isEqualTo(beforeB);
                    channelB.resume();
                    for (int i = 0; i < 300; i++) {
                        channelA.signal();
                    }
                    await().until(() -> listenerA.received.get() + listenerB.received.get() == 800);
                    a.getBean(EventFdChannelLifecycle.class).stop();
                    b.getBean(EventFdChannelLifecycle.class).stop();
                    assertThat(listenerA.received.get() + listenerB.received.get()).isEqualTo(800);
                }));
    }

    /**
     * A resync asked for while the channel is paused waits, as deliveries do: no listener is called with it until
     * the resume, which runs it once; the count left in the queue is delivered once.
     */
    @Test
    void whenAResyncComesWhileTheChannelIsPausedThenItWaitsForTheResumeAndRunsOnce() {
        shared().withBean(TestListeners.SharedOrders.class).run(consumer -> {
            EventFdChannel channel = consumer.getBean(EventFdChannelRegistry.class).channel("orders");
            TestListeners.SharedOrders listener = consumer.getBean(TestListeners.SharedOrders.class);
            shared().run(producer -> {
                EventFdChannel producing = producer.getBean(EventFdChannelRegistry.class).channel("orders");
                await().until(() -> producing.sharing().map(s -> s.state() == ShareState.ATTACHED).orElse(false));
                channel.pause();
                long resyncsBefore = listener.resyncCalls.get();
                int eventsBefore = listener.resyncEvents.size();
                producing.signal(5);
                await().until(() -> channel.pendingCount() == 5);
                ChannelTestAccess.resync(channel, "re-attached");
                await().until(() -> "re-attached".equals(ChannelTestAccess.pendingResync(channel)));
                assertThat(listener.resyncCalls.get()).as("resync calls while paused").isEqualTo(resyncsBefore);
                assertThat(listener.resyncEvents).as("resync events while paused").hasSize(eventsBefore);
                assertThat(listener.received.get()).isZero();
                channel.resume();
                await().until(() -> listener.received.get() == 5 && listener.resyncCalls.get() == resyncsBefore + 1);
                consumer.getBean(EventFdChannelLifecycle.class).stop();
                assertThat(listener.received.get()).isEqualTo(5);
                assertThat(listener.resyncCalls.get()).isEqualTo(resyncsBefore + 1);
                assertThat(ChannelTestAccess.pendingResync(channel)).isNull();
            });
        });
    }
}
