package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.channel.ChannelTestAccess;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What careless or unlucky applications do to channel-called listeners and their error handling, for each
 * counter implementation: two beans of one class, retries racing shutdown, resync storms, a stack overflow,
 * a listener signalling its own channel, a failing condition or error handler, a child context, proxies,
 * generics, overloads and order across beans.
 */
abstract class AbstractListenerEdgeCaseTests {

    protected final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withPropertyValues("eventfd.fallback=" + fallback());

    protected abstract String fallback();

    protected static EventFdNotifier notifier(ConfigurableApplicationContext context, String channel) {
        return BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), EventFdNotifier.class, channel);
    }

    private static boolean threadAlive(String nameFragment) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.isAlive() && thread.getName().contains(nameFragment));
    }

    // two beans of one listener class

    /** Both beans listen; their listeners are told apart by bean name, since an id in the class cannot. */
    @Test
    void twoBeansOfOneListenerClassBothListen() {
        this.contextRunner.withBean("first", Counting.class).withBean("second", Counting.class).run(context -> {
            assertThat(context).hasNotFailed();
            notifier(context, "orders").signal(3);
            await().atMost(30, TimeUnit.SECONDS).until(() -> context.getBean("first", Counting.class).received.get() == 3
                    && context.getBean("second", Counting.class).received.get() == 3);
        });
    }

    // a retry racing shutdown

    /**
     * A redelivery still waiting at shutdown is added back at once and delivered by the drain (a task that a
     * stopped scheduler hands back would cancel itself instead of running).
     */
    @Test
    void aRedeliveryWaitingAtShutdownIsDeliveredByTheDrain() throws Exception {
        FailsFirst listener = new FailsFirst();
        this.contextRunner.withPropertyValues("eventfd.listener.retry.enabled=true",
                "eventfd.listener.retry.max-attempts=5", "eventfd.listener.retry.initial-interval=10s")
                .withBean(FailsFirst.class, () -> listener).run(context -> {
                    notifier(context, "flaky").signal(5);
                    await().atMost(30, TimeUnit.SECONDS).until(() -> listener.handled.get() == 1);
                });
        // the context is closed: the waiting redelivery was to be added back and drained
        assertThat(listener.calls).as("listener calls (the drain should have made the second)").hasValue(2);
        assertThat(listener.received).hasValue(5);
    }

    /**
     * A listener that fails during the shutdown drain asks for a redelivery after the waiting ones were flushed:
     * it is added back at once, and no scheduler thread is started that nobody would stop.
     */
    @Test
    void aRetryRequestedDuringTheShutdownDrainLeavesNoThreadBehind() throws Exception {
        BlocksThenFails listener = new BlocksThenFails();
        ConfigurableApplicationContext[] holder = new ConfigurableApplicationContext[1];
        this.contextRunner.withPropertyValues("eventfd.listener.retry.enabled=true",
                "eventfd.listener.retry.max-attempts=50", "eventfd.listener.retry.initial-interval=200ms",
                "eventfd.poller.thread-name=edge-poller")
                .withBean(BlocksThenFails.class, () -> listener).run(context -> {
                    notifier(context, "flaky").signal();
                    assertThat(listener.entered.await(10, TimeUnit.SECONDS)).isTrue();
                    notifier(context, "flaky").signal(2); // left for the drain
                    holder[0] = context;
                    io.github.eventfd.spring.channel.EventFdChannelLifecycle lifecycle = context
                        .getBean(io.github.eventfd.spring.channel.EventFdChannelLifecycle.class);
                    java.util.concurrent.CompletableFuture.runAsync(() -> {
                        await().atMost(15, TimeUnit.SECONDS).until(() -> !lifecycle.isRunning());
                        listener.release.countDown();
                    });
                });
        assertThat(listener.calls.get()).as("the drain called the listener").isGreaterThanOrEqualTo(2);
        // the first call's failure may have started the scheduler before the flush, which ends its thread without
        // waiting for it: wait for that; a scheduler started after the flush is never ended, so its thread stays
        await("a redelivery thread outlives the context").atMost(30, TimeUnit.SECONDS)
                .until(() -> !threadAlive("edge-poller-redelivery"));
    }

    // a resync storm during a slow delivery

    /**
     * Resyncs of a channel whose delivery is slow never wait on a listener thread for its gate: with one thread
     * per executor channel, they would take the other channel's thread, and a slow listener would delay it.
     */
    @Test
    void resyncsOfASlowChannelDoNotDelayAnotherChannel() {
        SlowAndFast listeners = new SlowAndFast();
        this.contextRunner.withPropertyValues("eventfd.channels.slow.mode=counter",
                "eventfd.channels.fast.mode=counter")
                .withBean(SlowAndFast.class, () -> listeners).run(context -> {
                    try {
                        notifier(context, "slow").signal();
                        assertThat(listeners.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
                        EventFdChannel slow = context.getBean(EventFdChannelRegistry.class).channel("slow");
                        for (int i = 0; i < 3; i++) {
                            ChannelTestAccess.resync(slow, "storm " + i);
                        }
                        notifier(context, "fast").signal();
                        await().atMost(10, TimeUnit.SECONDS).until(() -> listeners.fast.get() == 1);
                    }
                    finally {
                        listeners.release.countDown();
                    }
                });
    }

    // an Error from a listener

    /**
     * A StackOverflowError is the listener's failure like any other: the listener after it and the plain
     * listeners still get the delivery, and the error handler hears of it.
     */
    @Test
    void aStackOverflowInAListenerIsHandledAndTheOtherListenersStillRun() {
        Overflowing listeners = new Overflowing();
        AtomicInteger handled = new AtomicInteger();
        this.contextRunner.withBean("countingHandler", EventFdListenerErrorHandler.class,
                () -> failure -> handled.incrementAndGet())
                .withBean(Overflowing.class, () -> listeners).run(context -> {
                    notifier(context, "deep").signal(4);
                    // the plain listener runs after the ordered ones, on the same delivery: wait for it too
                    await().atMost(30, TimeUnit.SECONDS)
                            .until(() -> listeners.after.get() == 4 && listeners.plain.get() == 4);
                    assertThat(handled).hasValue(1);
                });
    }

    // a listener that signals its own channel

    @ParameterizedTest
    @ValueSource(strings = { "inline", "executor" })
    void aListenerThatSignalsItsOwnChannelGetsOneMoreDeliveryNeverANestedOne(String dispatch) {
        Echo echo = new Echo();
        this.contextRunner.withPropertyValues("eventfd.channels.echo.dispatch=" + dispatch)
                .withBean(Echo.class, () -> echo).run(context -> {
                    echo.notifier = notifier(context, "echo");
                    echo.notifier.signal();
                    await().atMost(30, TimeUnit.SECONDS).until(() -> echo.received.get() == 11);
                    assertThat(echo.maxDepth).hasValue(1);
                    assertThat(echo.calls.get()).isEqualTo(11);
                });
    }

    // a condition that throws, an error handler that throws

    @Test
    void aConditionThatThrowsIsAFailureOfThatListenerOnly() {
        BadCondition listeners = new BadCondition();
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        this.contextRunner.withBean("recordingHandler", EventFdListenerErrorHandler.class,
                () -> failure -> handled.add(failure.cause()))
                .withBean("conditionBean", ConditionBean.class)
                .withBean(BadCondition.class, () -> listeners).run(context -> {
                    notifier(context, "cond").signal(2);
                    await().atMost(30, TimeUnit.SECONDS).until(() -> listeners.after.get() == 2);
                    notifier(context, "cond").signal(3);
                    await().atMost(30, TimeUnit.SECONDS).until(() -> listeners.after.get() == 5);
                    assertThat(listeners.guarded.get()).isZero();
                    assertThat(handled).hasSize(2);
                    // the message names the condition and the method (ListenerCondition's wrapping)
                    assertThat(handled.get(0)).hasMessageContaining("#count");
                });
    }

    @Test
    void anErrorHandlerThatThrowsDoesNotStopTheChannel() {
        ThrowingTwice listeners = new ThrowingTwice();
        this.contextRunner.withBean("throwingHandler", EventFdListenerErrorHandler.class, () -> failure -> {
            throw new IllegalStateException("handler down");
        }).withBean(ThrowingTwice.class, () -> listeners).run(context -> {
            notifier(context, "twice").signal();
            await().atMost(30, TimeUnit.SECONDS).until(() -> listeners.after.get() == 1);
            notifier(context, "twice").signal();
            await().atMost(30, TimeUnit.SECONDS).until(() -> listeners.after.get() == 2);
        });
    }

    // parent and child contexts

    /**
     * A child context with the same auto-configuration has a listener processor of its own (a missing-bean
     * condition that searched the parent would leave its @EventFdListener methods unregistered).
     */
    @Test
    void aListenerInAChildContextIsCalled() {
        this.contextRunner.withPropertyValues("eventfd.channels.orders.mode=counter")
                .run(parent -> new ApplicationContextRunner().withParent(parent)
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
                .withPropertyValues("eventfd.fallback=" + fallback()).withBean(Counting.class).run(child -> {
                    assertThat(child).hasNotFailed();
                    Counting listener = child.getBean(Counting.class);
                    EventFdChannelRegistry registry = child.getBean(EventFdChannelRegistry.class);
                    registry.channel("orders").signal(2);
                    await().atMost(30, TimeUnit.SECONDS).until(() -> listener.received.get() == 2);
                }));
    }

    // proxies, bridges, overloads, order

    @Test
    void aJdkProxiedListenerIsCalledThroughItsProxy() {
        AtomicInteger intercepted = new AtomicInteger();
        this.contextRunner.withBean("counting", MethodInterceptor.class, () -> invocation -> {
            intercepted.incrementAndGet();
            return invocation.proceed();
        }).withBean(BeanNameAutoProxyCreator.class, () -> {
            BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
            creator.setBeanNames("jdkListener");
            creator.setInterceptorNames("counting");
            return creator;
        }).withBean("jdkListener", JdkListenerImpl.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(AopUtils.isJdkDynamicProxy(context.getBean("jdkListener"))).isTrue();
            notifier(context, "orders").signal(2);
            JdkListener listener = context.getBean(JdkListener.class);
            await().atMost(30, TimeUnit.SECONDS).until(() -> listener.received() == 2);
            assertThat(intercepted.get()).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void aGenericListenerIsRegisteredOnceAndGetsItsCount() {
        this.contextRunner.withBean(LongListener.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(EventFdChannelRegistry.class).channel("generic").listeners()).hasSize(1);
            notifier(context, "generic").signal(7);
            LongListener listener = context.getBean(LongListener.class);
            await().atMost(30, TimeUnit.SECONDS).until(() -> listener.received.get() == 7);
        });
    }

    @Test
    void overloadedListenerMethodsFailStartupNamingTheFix() {
        this.contextRunner.withBean(Overloaded.class).run(context -> {
            assertThat(context).hasFailed();
            // passes: a plain IllegalStateException (no FailureAnalyzer) naming 'Overloaded.on' and the fix
            assertThat(context.getStartupFailure()).hasMessageContaining("Overloaded.on").hasMessageContaining("id = ");
        });
    }

    @Test
    void orderHoldsAcrossBeans() {
        List<String> calls = new CopyOnWriteArrayList<>();
        this.contextRunner.withBean(Second.class, () -> new Second(calls))
                .withBean(First.class, () -> new First(calls)).run(context -> {
                    notifier(context, "ordered").signal();
                    await().atMost(30, TimeUnit.SECONDS).until(() -> calls.size() == 2);
                    assertThat(calls).containsExactly("first", "second");
                });
    }

    // listener beans

    public static class Counting {

        public final AtomicLong received = new AtomicLong();

        @EventFdListener("orders")
        void onOrders(long count) {
            this.received.addAndGet(count);
        }
    }

    public static class FailsFirst {

        final AtomicInteger calls = new AtomicInteger();

        final AtomicInteger handled = new AtomicInteger();

        final AtomicLong received = new AtomicLong();

        @EventFdListener("flaky")
        void onFlaky(long count) {
            if (this.calls.incrementAndGet() == 1) {
                // the handler runs right after; the test waits a little for it through 'handled'
                new Thread(() -> {
                    try {
                        Thread.sleep(300);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    this.handled.incrementAndGet();
                }).start();
                throw new IllegalStateException("first call fails");
            }
            this.received.addAndGet(count);
        }
    }

    public static class BlocksThenFails {

        final AtomicInteger calls = new AtomicInteger();

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @EventFdListener("flaky")
        void onFlaky(long count) throws InterruptedException {
            if (this.calls.incrementAndGet() == 1) {
                this.entered.countDown();
                this.release.await(20, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("failing, call " + this.calls.get());
        }
    }

    public static class SlowAndFast {

        final CountDownLatch slowEntered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        final AtomicLong fast = new AtomicLong();

        @EventFdListener("slow")
        void onSlow() throws InterruptedException {
            this.slowEntered.countDown();
            this.release.await(30, TimeUnit.SECONDS);
        }

        @EventFdListener("fast")
        void onFast(long count) {
            this.fast.addAndGet(count);
        }
    }

    public static class Overflowing {

        final AtomicLong after = new AtomicLong();

        final AtomicLong plain = new AtomicLong();

        @EventFdListener(value = "deep", errorHandler = "countingHandler")
        @Order(1)
        void overflows(long count) {
            throw new StackOverflowError("recursed too deep");
        }

        @EventFdListener(value = "deep", errorHandler = "countingHandler")
        @Order(2)
        void after(long count) {
            this.after.addAndGet(count);
        }

        @EventListener
        void plain(io.github.eventfd.spring.EventFdSignalEvent event) {
            if (event.getChannel().equals("deep")) {
                this.plain.addAndGet(event.getCount());
            }
        }
    }

    public static class Echo {

        final AtomicLong received = new AtomicLong();

        final AtomicInteger calls = new AtomicInteger();

        final AtomicInteger maxDepth = new AtomicInteger();

        private final AtomicInteger depth = new AtomicInteger();

        volatile EventFdNotifier notifier;

        @EventFdListener("echo")
        void onEcho(long count) throws InterruptedException {
            this.maxDepth.accumulateAndGet(this.depth.incrementAndGet(), Math::max);
            try {
                // the call first: a test that waits for the count reads the calls next
                int call = this.calls.incrementAndGet();
                this.received.addAndGet(count);
                if (call <= 10) {
                    this.notifier.signal();
                    Thread.sleep(5); // give a nested delivery the chance to happen
                }
            }
            finally {
                this.depth.decrementAndGet();
            }
        }
    }

    public static class ConditionBean {

        public boolean check(long count) {
            throw new IllegalStateException("condition bean down for " + count);
        }
    }

    public static class BadCondition {

        final AtomicLong guarded = new AtomicLong();

        final AtomicLong after = new AtomicLong();

        @EventFdListener(value = "cond", condition = "@conditionBean.check(#count)", errorHandler = "recordingHandler")
        @Order(1)
        void guarded(long count) {
            this.guarded.addAndGet(count);
        }

        @EventFdListener(value = "cond", errorHandler = "recordingHandler")
        @Order(2)
        void after(long count) {
            this.after.addAndGet(count);
        }
    }

    public static class ThrowingTwice {

        final AtomicLong after = new AtomicLong();

        @EventFdListener(value = "twice", errorHandler = "throwingHandler")
        @Order(1)
        void fails() {
            throw new IllegalStateException("listener down");
        }

        @EventFdListener(value = "twice", errorHandler = "throwingHandler")
        @Order(2)
        void after(long count) {
            this.after.addAndGet(count);
        }
    }

    public interface JdkListener {

        void onOrders(long count);

        long received();
    }

    public static class JdkListenerImpl implements JdkListener {

        private final AtomicLong received = new AtomicLong();

        @Override
        @EventFdListener("orders")
        public void onOrders(long count) {
            this.received.addAndGet(count);
        }

        @Override
        public long received() {
            return this.received.get();
        }
    }

    public abstract static class GenericBase<T> {

        @EventFdListener("generic")
        public abstract void on(T count);
    }

    public static class LongListener extends GenericBase<Long> {

        final AtomicLong received = new AtomicLong();

        @Override
        public void on(Long count) {
            this.received.addAndGet(count);
        }
    }

    public static class Overloaded {

        @EventFdListener("orders")
        void on() {
        }

        @EventFdListener("orders")
        void on(long count) {
        }
    }

    public static class First {

        private final List<String> calls;

        First(List<String> calls) {
            this.calls = calls;
        }

        @EventFdListener("ordered")
        @Order(1)
        void first() {
            this.calls.add("first");
        }
    }

    public static class Second {

        private final List<String> calls;

        Second(List<String> calls) {
            this.calls = calls;
        }

        @EventFdListener("ordered")
        @Order(2)
        void second() {
            this.calls.add("second");
        }
    }
}
