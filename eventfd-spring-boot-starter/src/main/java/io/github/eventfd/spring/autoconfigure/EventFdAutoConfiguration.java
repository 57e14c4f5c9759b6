package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.eventfd.EventFd;
import io.github.eventfd.SharedChannel;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.ChannelSharing;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.EventFdChannelFactory;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdListenerObserver;
import io.github.eventfd.spring.annotation.EventFdListenerFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Auto-configuration of eventfd channels: one {@code EventFdNotifier} bean per channel, the channel
 * registry with its poller, the listener executor and {@code @EventFdListener} support.
 */
@AutoConfiguration
@ConditionalOnClass(EventFd.class)
@ConditionalOnBooleanProperty(name = "eventfd.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventFdProperties.class)
public final class EventFdAutoConfiguration {

    /** Name of the executor bean that runs the listeners of channels with executor dispatch. */
    public static final String LISTENER_EXECUTOR_BEAN_NAME = "eventFdListenerExecutor";

    @Bean
    static EventFdNotifierRegistrar eventFdNotifierRegistrar() {
        return new EventFdNotifierRegistrar();
    }

    @Bean
    @ConditionalOnMissingBean
    static EventFdListenerFactory eventFdListenerFactory(ObjectProvider<EventFdChannelRegistry> registry,
            ObjectProvider<EventFdListenerObserver> observer) {
        return new EventFdListenerFactory(registry, observer);
    }

    @Bean(name = LISTENER_EXECUTOR_BEAN_NAME, destroyMethod = "shutdown")
    @ConditionalOnMissingBean(name = LISTENER_EXECUTOR_BEAN_NAME)
    @ConditionalOnThreading(Threading.PLATFORM)
    ExecutorService eventFdListenerExecutor(EventFdProperties properties, DeclaredChannels declared) {
        Integer configured = properties.getListener().getExecutorThreads();
        int threads = (configured != null) ? configured : Math.max(1, (int) declared.names().stream()
                .filter(name -> channel(properties, name).getDispatch() == Dispatch.EXECUTOR).count());
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new ListenerThreadFactory());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** With {@code spring.threads.virtual.enabled=true} on JDK 21+, each delivery runs on a virtual thread. */
    @Bean(name = LISTENER_EXECUTOR_BEAN_NAME)
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
        List<ChannelDefinition> definitions = declared.names().stream().map(name -> {
            EventFdProperties.Channel channel = channel(properties, name);
            return new ChannelDefinition(name, channel.getMode(), channel.getInitialValue(), channel.getDispatch(),
                    sharing(channel.getShare()));
        }).toList();
        return new EventFdChannelRegistry(definitions, factory);
    }

    @Bean
    @ConditionalOnMissingBean
    EventFdChannelLifecycle eventFdChannelLifecycle(EventFdProperties properties, EventFdChannelRegistry registry,
            @Qualifier(LISTENER_EXECUTOR_BEAN_NAME) Executor listenerExecutor, ApplicationEventPublisher publisher) {
        EventFdChannelLifecycle.Settings settings = new EventFdChannelLifecycle.Settings(
                properties.getPoller().getThreadName(), properties.getPoller().getMaxEventsPerWait(),
                properties.getShutdown().getDrainTimeout());
        return new EventFdChannelLifecycle(registry, settings, listenerExecutor, publisher);
    }

    private static @Nullable ChannelSharing sharing(EventFdProperties.Share share) {
        if (share.getSocket() == null) {
            return null;
        }
        Set<Integer> uids = share.getAllowedUids().isEmpty() ? Set.of(SharedChannel.currentUid())
                : Set.copyOf(share.getAllowedUids());
        return new ChannelSharing(share.getSocket(), share.getKind(), share.getRole(),
                EventFdProperties.Share.socketPermissions(share.getSocketMode()), uids, share.getReconnectInterval(),
                share.getAttachTimeout());
    }

    private static EventFdProperties.Channel channel(EventFdProperties properties, String name) {
        EventFdProperties.Channel channel = properties.getChannels().get(name);
        return (channel != null) ? channel : new EventFdProperties.Channel();
    }

    /** Names listener threads {@code eventfd-listener-N}. */
    static final class ListenerThreadFactory implements ThreadFactory {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            return new Thread(runnable, "eventfd-listener-" + this.count.incrementAndGet());
        }
    }
}
