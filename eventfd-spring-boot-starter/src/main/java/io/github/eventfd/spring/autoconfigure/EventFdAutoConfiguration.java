package io.github.eventfd.spring.autoconfigure;

import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.EventFd;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.ListenerInterceptor;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.annotation.EventFdListenerMethodProcessor;
import io.github.eventfd.spring.bridge.Bridge;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Auto-configuration of eventfd channels: one {@code EventFdNotifier} bean per channel, the channel
 * registry with its poller, the listener executor and {@code @EventFdListener} support, and, where a channel is
 * bridged ({@code eventfd.channels.<name>.bridge}), what attaches it to its engine's bridge, which
 * {@link EventFdRedisBridgeAutoConfiguration} declares.
 *
 * <p>It comes after Boot's {@link TaskExecutionAutoConfiguration}, whose {@code applicationTaskExecutor} (the
 * executor of {@code @Async} methods) backs off when another {@code Executor} bean is there: Boot decides first,
 * and the listener executor is no default candidate for injection by type or for bean conditions either, so
 * it never takes the place of the application's executor; it is injected by its name only.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
@ConditionalOnClass(EventFd.class)
@ConditionalOnBooleanProperty(name = "eventfd.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventFdProperties.class)
public final class EventFdAutoConfiguration {

    /**
     * Name of the executor bean that runs the listeners of channels with executor dispatch. It is not a default
     * candidate ({@code @Bean(defaultCandidate = false)}): code that injects an {@code Executor} by type, and
     * Boot's {@code applicationTaskExecutor}, do not see it.
     */
    public static final String LISTENER_EXECUTOR_BEAN_NAME = "eventFdListenerExecutor";

    @Bean
    static EventFdNotifierRegistrar eventFdNotifierRegistrar() {
        return new EventFdNotifierRegistrar();
    }

    @Bean
    static ListenerNotifierPostProcessor eventFdListenerNotifierPostProcessor() {
        return new ListenerNotifierPostProcessor();
    }

    /** Each context finds its own listeners, a child context too: its parent's processor does not see its beans. */
    @Bean
    @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
    static EventFdListenerMethodProcessor eventFdListenerMethodProcessor(ObjectProvider<EventFdChannelRegistry> registry,
            ObjectProvider<ListenerInterceptor> interceptors) {
        return new EventFdListenerMethodProcessor(registry, interceptors);
    }

    @Bean(name = EventFdListenerErrorHandler.DEFAULT_BEAN_NAME)
    @ConditionalOnMissingBean(name = EventFdListenerErrorHandler.DEFAULT_BEAN_NAME)
    EventFdListenerErrorHandler eventFdListenerErrorHandler(EventFdProperties properties) {
        return new ChannelPropertiesMapper(properties).defaultErrorHandler();
    }

    @Bean(name = LISTENER_EXECUTOR_BEAN_NAME, destroyMethod = "shutdown", defaultCandidate = false)
    @ConditionalOnMissingBean(name = LISTENER_EXECUTOR_BEAN_NAME)
    @ConditionalOnThreading(Threading.PLATFORM)
    ExecutorService eventFdListenerExecutor(EventFdProperties properties, DeclaredChannels declared) {
        Set<String> names = declared.with(properties.getChannels().keySet());
        int threads = new ChannelPropertiesMapper(properties).listenerThreads(names);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new ListenerThreadFactory());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** With {@code spring.threads.virtual.enabled=true} on JDK 21+, each delivery runs on a virtual thread. */
    @Bean(name = LISTENER_EXECUTOR_BEAN_NAME, defaultCandidate = false)
    @ConditionalOnMissingBean(name = LISTENER_EXECUTOR_BEAN_NAME)
    @ConditionalOnThreading(Threading.VIRTUAL)
    VirtualThreadTaskExecutor eventFdVirtualThreadListenerExecutor() {
        return new VirtualThreadTaskExecutor("eventfd-listener-");
    }

    @Bean
    @ConditionalOnMissingBean
    EventFdChannelFactory eventFdChannelFactory(EventFdProperties properties, ApplicationEventPublisher publisher) {
        return new EventFdChannelFactory(properties.getFallback(), publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    EventFdChannelRegistry eventFdChannelRegistry(EventFdProperties properties, DeclaredChannels declared,
            EventFdChannelFactory factory) {
        Set<String> names = declared.with(properties.getChannels().keySet());
        return new EventFdChannelRegistry(new ChannelPropertiesMapper(properties).definitions(names), factory);
    }

    /**
     * Attaches the bridged channels to the bridges of their engines. Only where a channel is bridged: an application
     * without one loads none of the bridge's classes. A channel that asks for an engine that is not there fails
     * startup, naming its property. Once per hierarchy, as the registry: a child context that has its parent's
     * channels leaves them to its parent's attacher (the bridge runs already, and a channel is bridged once).
     */
    @Bean
    @ConditionalOnBridgedChannel
    @ConditionalOnMissingBean(name = "eventFdChannelBridgeAttacher")
    static ChannelBridgeAttacher eventFdChannelBridgeAttacher(EventFdChannelRegistry registry,
            EventFdProperties properties, ObjectProvider<Bridge> bridges) {
        return new ChannelBridgeAttacher(registry, properties, bridges);
    }

    @Bean
    @ConditionalOnMissingBean
    EventFdChannelLifecycle eventFdChannelLifecycle(EventFdProperties properties, EventFdChannelRegistry registry,
            @Qualifier(LISTENER_EXECUTOR_BEAN_NAME) Executor listenerExecutor) {
        return new EventFdChannelLifecycle(registry, new ChannelPropertiesMapper(properties).lifecycleSettings(),
                listenerExecutor);
    }
}
