package io.github.eventfd.spring.review2;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerContainer;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review 2 attacks: pause/resume and stop/start while a delivery of the channel is still running (its listener
 * has not returned). The poller's registration closed with a zero wait leaves the eventfd in the epoll set until
 * the running delivery ends; a resume/start before that registers the same descriptor again.
 */
@EnabledOnOs(OS.LINUX)
class LifecycleRaceAttackTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=fail")
            .withBean(Slow.class);

    @Test
    void pauseThenResumeWhileTheListenerRunsThenLaterSignalsAreStillDeliveredExecutorDispatch() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.dispatch=executor").run(this::pauseResumeMidDelivery);
    }

    @Test
    void pauseThenResumeWhileTheListenerRunsThenLaterSignalsAreStillDeliveredInlineDispatch() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.dispatch=inline").run(this::pauseResumeMidDelivery);
    }

    @Test
    void stopThenStartTheOnlyListenerWhileItRunsThenLaterSignalsAreStillDelivered() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.dispatch=executor").run(context -> {
            EventFdChannelRegistry registry = context.getBean(EventFdChannelRegistry.class);
            EventFdChannel orders = registry.channel("orders");
            Slow slow = context.getBean(Slow.class);
            EventFdListenerContainer container = registry.listener("slow").orElseThrow();
            orders.signal(1);
            assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
            container.stop();
            container.start();
            slow.release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.counts.size() == 1);
            orders.signal(7);
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.counts.size() == 2);
            assertThat(slow.counts).containsExactly(1L, 7L);
        });
    }

    /** After the failed resume (exception swallowed, as a caller might), the channel says not paused but never reads again. */
    @Test
    void afterAResumeThatFailedMidDeliveryTheChannelIsNotPausedYetNeverDeliversAgain() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.dispatch=executor").run(context -> {
            EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
            Slow slow = context.getBean(Slow.class);
            orders.signal(1);
            assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
            orders.pause();
            try {
                orders.resume();
            }
            catch (RuntimeException ex) {
                // what the unlucky caller sees; carry on
            }
            slow.release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.counts.size() == 1);
            assertThat(orders.isPaused()).isFalse();
            orders.signal(7);
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.counts.size() == 2);
            assertThat(slow.counts).containsExactly(1L, 7L);
        });
    }

    private void pauseResumeMidDelivery(org.springframework.context.ConfigurableApplicationContext context)
            throws Exception {
        EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
        Slow slow = context.getBean(Slow.class);
        orders.signal(1);
        assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
        orders.pause();
        orders.resume();
        slow.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.counts.size() == 1);
        orders.signal(7);
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.counts.size() == 2);
        assertThat(slow.counts).containsExactly(1L, 7L);
    }

    static class Slow {

        final List<Long> counts = new CopyOnWriteArrayList<>();

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @EventFdListener(value = "orders", id = "slow")
        void onOrders(long count) throws InterruptedException {
            this.entered.countDown();
            this.release.await(20, TimeUnit.SECONDS);
            this.counts.add(count);
        }
    }
}
