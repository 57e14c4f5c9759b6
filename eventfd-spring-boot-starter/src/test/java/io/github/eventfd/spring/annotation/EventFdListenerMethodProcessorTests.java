package io.github.eventfd.spring.annotation;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.ListenerInterceptor;
import io.github.eventfd.spring.channel.ChannelTestAccess;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.FallbackPolicy;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Async;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The processor and the listener methods it makes, on in-memory channels delivered on the signalling thread:
 * no eventfd, no poller, so it runs on any OS.
 */
class EventFdListenerMethodProcessorTests {

    private final RecordingObserver observer = new RecordingObserver();

    private AnnotationConfigApplicationContext context(Class<?>... listeners) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(EventFdChannelRegistry.class, () -> new EventFdChannelRegistry(
                List.of(ChannelDefinition.withDefaults("orders")),
                new EventFdChannelFactory(FallbackPolicy.IN_MEMORY, context)));
        // the listener executor runs each delivery at once, on the thread that signals
        context.registerBean(EventFdChannelLifecycle.class, () -> new EventFdChannelLifecycle(
                context.getBean(EventFdChannelRegistry.class),
                new EventFdChannelLifecycle.Settings("test-poller", 1, Duration.ofSeconds(1)), Runnable::run));
        context.registerBean(EventFdListenerMethodProcessor.class, () -> new EventFdListenerMethodProcessor(
                context.getBeanProvider(EventFdChannelRegistry.class), context.getBeanProvider(ListenerInterceptor.class)));
        context.registerBean(ListenerInterceptor.class, () -> this.observer);
        for (Class<?> listener : listeners) {
            context.registerBean(listener);
        }
        context.refresh();
        return context;
    }

    private static EventFdChannel channel(AnnotationConfigApplicationContext context, String name) {
        return context.getBean(EventFdChannelRegistry.class).channel(name);
    }

    @Test
    void whenSignalledThenEachParameterStyleGetsItsValueInOrderAndOnlyItsChannel() {
        try (AnnotationConfigApplicationContext context = context(Styles.class)) {
            channel(context, "orders").signal(3);
            channel(context, "other").signal(9);
            Styles styles = context.getBean(Styles.class);
            assertThat(styles.calls).containsExactly("count=3", "none", "event=3", "other=9");
            assertThat(channel(context, "orders").listeners()).containsExactly("Styles.onCount", "Styles.onNothing",
                    "Styles.onEvent");
            assertThat(this.observer.successes).containsExactly("orders/Styles.onCount", "orders/Styles.onNothing",
                    "orders/Styles.onEvent", "other/Styles.onOther");
        }
    }

    @Test
    void whenMethodIsAnnotatedThenItsChannelIsTheValueTheAliasOrDefault() {
        assertThat(EventFdListenerMethodProcessor.channelOf(method(Channels.class, "onOrders"))).isEqualTo("orders");
        assertThat(EventFdListenerMethodProcessor.channelOf(method(Channels.class, "onAlias"))).isEqualTo("audit");
        assertThat(EventFdListenerMethodProcessor.channelOf(method(Channels.class, "onDefault")))
                .isEqualTo(ChannelDefinition.DEFAULT_CHANNEL);
    }

    @Test
    void whenIdGivenThenItNamesTheListener() {
        try (AnnotationConfigApplicationContext context = context(Channels.class)) {
            assertThat(channel(context, "audit").listeners()).containsExactly("audit-trail");
            assertThat(channel(context, "default").listeners()).containsExactly("Channels.onDefault");
        }
    }

    @Test
    void whenAListenerThrowsThenItIsObservedAsFailedUnwrappedAndTheNextListenerStillRuns() {
        try (AnnotationConfigApplicationContext context = context(Throwing.class)) {
            channel(context, "orders").signal();
            assertThat(context.getBean(Throwing.class).afterCalls).containsExactly(1L);
            assertThat(this.observer.failures).singleElement(InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(IOException.class).hasMessage("disk gone");
            assertThat(this.observer.successes).containsExactly("orders/Throwing.after");
        }
    }

    @Test
    void whenConditionNamesCountOrEventThenBothAreThereWhateverTheParameterIsCalled() {
        try (AnnotationConfigApplicationContext context = context(Conditional.class)) {
            channel(context, "orders").signal(2);
            channel(context, "orders").signal(20);
            Conditional listener = context.getBean(Conditional.class);
            assertThat(listener.byCount).containsExactly(20L);
            assertThat(listener.byEvent).containsExactly(20L);
            assertThat(listener.byRoot).containsExactly(20L);
            assertThat(listener.byParameterName).containsExactly(20L);
        }
    }

    @Test
    void whenConditionIsNotSpelThenStartupFailsNamingTheMethod() {
        assertThatThrownBy(() -> context(BadCondition.class)).isInstanceOf(InvalidEventFdListenerException.class)
                .hasMessageContaining("BadCondition.onOrders(long)").hasMessageContaining("not valid SpEL");
    }

    @Test
    void whenResyncThenOnlyResyncListenersAreCalledNeverWithACountAndPlainListenersSeeIt() {
        try (AnnotationConfigApplicationContext context = context(Resyncing.class)) {
            ChannelTestAccess.resync(channel(context, "orders"), "attached to pid 1");
            channel(context, "orders").signal(4);
            Resyncing listener = context.getBean(Resyncing.class);
            assertThat(listener.events).extracting(EventFdChannelEvent::getClass)
                    .containsExactly(EventFdResyncEvent.class, EventFdSignalEvent.class);
            assertThat(listener.noArgCalls).isEqualTo(2);
            assertThat(listener.signalsOnly).containsExactly(4L);
            assertThat(listener.plainResyncs).singleElement().extracting(EventFdResyncEvent::getReason)
                    .isEqualTo("attached to pid 1");
        }
    }

    @Test
    void whenResyncMethodTakesACountThenStartupFailsNamingTheMethodAndTheFix() {
        assertThatThrownBy(() -> context(CountOnResync.class)).isInstanceOf(InvalidEventFdListenerException.class)
                .hasMessageContaining("CountOnResync.onOrders(long)")
                .hasMessageContaining("Take no parameter, or an EventFdChannelEvent");
    }

    @Test
    void whenResyncMethodHasAConditionThenStartupFailsSayingWhy() {
        assertThatThrownBy(() -> context(ConditionOnResync.class)).isInstanceOf(InvalidEventFdListenerException.class)
                .hasMessageContaining("ConditionOnResync.onOrders()").hasMessageContaining("has resync = true and a condition");
    }

    @Test
    void whenListenerIsAsyncThenStartupFailsSayingWhatItWouldBreak() {
        assertThatThrownBy(() -> context(AsyncListener.class)).isInstanceOf(InvalidEventFdListenerException.class)
                .hasMessageContaining("AsyncListener.onOrders()").hasMessageContaining("@Async")
                .hasMessageContaining("Remove @Async");
        assertThatThrownBy(() -> context(AsyncClass.class)).isInstanceOf(InvalidEventFdListenerException.class)
                .hasMessageContaining("AsyncClass.onOrders()").hasMessageContaining("@Async");
    }

    @Test
    void whenErrorHandlerBeanIsMissingThenStartupFailsNamingTheMethodAndTheName() {
        assertThatThrownBy(() -> context(MissingHandler.class)).isInstanceOf(InvalidEventFdListenerException.class)
                .hasMessageContaining("MissingHandler.onOrders()")
                .hasMessageContaining("errorHandler = \"nowhere\"");
    }

    @Test
    void whenListenerReturnsAValueThenItIsPublished() {
        try (AnnotationConfigApplicationContext context = context(Returning.class)) {
            channel(context, "orders").signal(5);
            assertThat(context.getBean(Returning.class).published).containsExactly("handled 5");
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameterTypes) {
        Method method = ReflectionUtils.findMethod(type, name, parameterTypes);
        assertThat(method).as(name).isNotNull();
        return method;
    }

    /** Records each call's outcome by channel and listener. */
    static class RecordingObserver implements ListenerInterceptor {

        final List<String> successes = new CopyOnWriteArrayList<>();

        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public Interception listenerAdded(String channel, String listener) {
            return (event, call) -> {
                try {
                    boolean called = call.proceed();
                    if (called) {
                        RecordingObserver.this.successes.add(channel + "/" + listener);
                    }
                    return called;
                }
                catch (Exception | Error ex) {
                    RecordingObserver.this.failures.add(ex);
                    throw ex;
                }
            };
        }
    }

    static class Styles {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        @Order(3)
        void onEvent(EventFdSignalEvent event) {
            this.calls.add("event=" + event.getCount());
        }

        @EventFdListener("orders")
        @Order(1)
        void onCount(long count) {
            this.calls.add("count=" + count);
        }

        @EventFdListener("orders")
        @Order(2)
        void onNothing() {
            this.calls.add("none");
        }

        @EventFdListener("other")
        void onOther(Long count) {
            this.calls.add("other=" + count);
        }
    }

    static class Channels {

        @EventFdListener("orders")
        void onOrders() {
        }

        @EventFdListener(channel = "audit", id = "audit-trail")
        void onAlias() {
        }

        @EventFdListener
        void onDefault() {
        }
    }

    static class Throwing {

        final List<Long> afterCalls = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        @Order(1)
        void fails() throws IOException {
            throw new IOException("disk gone");
        }

        @EventFdListener("orders")
        @Order(2)
        void after(long count) {
            this.afterCalls.add(count);
        }
    }

    static class Conditional {

        final List<Long> byCount = new CopyOnWriteArrayList<>();

        final List<Long> byEvent = new CopyOnWriteArrayList<>();

        final List<Long> byRoot = new CopyOnWriteArrayList<>();

        final List<Long> byParameterName = new CopyOnWriteArrayList<>();

        @EventFdListener(value = "orders", condition = "#count >= 10")
        void byCount(long n) {
            this.byCount.add(n);
        }

        @EventFdListener(value = "orders", condition = "#event.count >= 10")
        void byEvent(EventFdSignalEvent signal) {
            this.byEvent.add(signal.getCount());
        }

        @EventFdListener(value = "orders", condition = "event.count >= 10 && args.length == 0")
        void byRoot() {
            this.byRoot.add(20L);
        }

        @EventFdListener(value = "orders", condition = "#units >= 10")
        void byParameterName(long units) {
            this.byParameterName.add(units);
        }
    }

    static class BadCondition {

        @EventFdListener(value = "orders", condition = "#count >")
        void onOrders(long count) {
        }
    }

    static class Resyncing {

        final List<EventFdChannelEvent> events = new CopyOnWriteArrayList<>();

        final List<Long> signalsOnly = new CopyOnWriteArrayList<>();

        final List<EventFdResyncEvent> plainResyncs = new CopyOnWriteArrayList<>();

        int noArgCalls;

        @EventFdListener(value = "orders", resync = true)
        void onAny(EventFdChannelEvent event) {
            this.events.add(event);
        }

        @EventFdListener(value = "orders", resync = true)
        void onAnyWithoutParameter() {
            this.noArgCalls++;
        }

        @EventFdListener("orders")
        void onSignals(long count) {
            this.signalsOnly.add(count);
        }

        @EventListener
        void onResync(EventFdResyncEvent event) {
            this.plainResyncs.add(event);
        }
    }

    static class CountOnResync {

        @EventFdListener(value = "orders", resync = true)
        void onOrders(long count) {
        }
    }

    static class ConditionOnResync {

        @EventFdListener(value = "orders", resync = true, condition = "event.count > 1")
        void onOrders() {
        }
    }

    static class AsyncListener {

        @Async
        @EventFdListener("orders")
        void onOrders() {
        }
    }

    @Async
    static class AsyncClass {

        @EventFdListener("orders")
        void onOrders() {
        }
    }

    static class MissingHandler {

        @EventFdListener(value = "orders", errorHandler = "nowhere")
        void onOrders() {
        }
    }

    static class Returning {

        final List<String> published = new CopyOnWriteArrayList<>();

        @EventFdListener("orders")
        String onOrders(long count) {
            return "handled " + count;
        }

        @EventListener
        void onText(PayloadApplicationEvent<String> event) {
            this.published.add(event.getPayload());
        }
    }
}
