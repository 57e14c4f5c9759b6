package io.github.eventfd.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.EventFdSupport;
import io.github.eventfd.EventFdUnavailableException;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.PollerRegistration;
import io.github.eventfd.share.ShareErrorReason;
import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareListener;
import io.github.eventfd.share.ShareOptions;
import io.github.eventfd.share.SharedChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * All channels of an application by name, and the lifecycle of their delivery: one poller thread for all
 * eventfd channels, started with the context and stopped after the web server, draining what was already
 * signalled before the descriptors are closed.
 */
public class EventFdChannelRegistry implements SmartLifecycle, DisposableBean {

    /**
     * The lifecycle phase: below the web server's graceful shutdown and stop phases, so the channels start
     * before the server accepts requests and stop only after requests in flight have finished signalling.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    private static final Log logger = LogFactory.getLog(EventFdChannelRegistry.class);

    private final Map<String, EventFdChannel> channels = new ConcurrentSkipListMap<>();

    private final Map<String, ChannelSubscription> subscriptions = new ConcurrentHashMap<>();

    private final Map<String, InMemoryDispatch> inMemoryDispatches = new ConcurrentHashMap<>();


    private final List<Consumer<EventFdChannel>> channelAddedCallbacks = new CopyOnWriteArrayList<>();

    private final Map<String, String> pendingResyncs = new LinkedHashMap<>();

    private final Settings settings;

    private final CounterImplementation implementation;

    private final Executor listenerExecutor;

    private final ApplicationEventPublisher publisher;

    private @Nullable EventFdPoller poller;

    private @Nullable ExecutorService inMemoryInlineExecutor;

    private volatile boolean running;

    private volatile @Nullable Throwable pollerFailure;

    /**
     * Create the channels; nothing is delivered before {@link #start()}.
     * @param definitions the channels
     * @param settings poller, shutdown and fallback settings
     * @param listenerExecutor where channels with {@link Dispatch#EXECUTOR} run their listeners
     * @param publisher where deliveries are published
     * @throws EventFdUnavailableException if eventfd is missing and the fallback policy is {@code FAIL}
     */
    public EventFdChannelRegistry(Collection<ChannelDefinition> definitions, Settings settings,
            Executor listenerExecutor, ApplicationEventPublisher publisher) {
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        this.listenerExecutor = Objects.requireNonNull(listenerExecutor, "'listenerExecutor' must not be null");
        this.publisher = Objects.requireNonNull(publisher, "'publisher' must not be null");
        this.implementation = chooseImplementation(settings.fallback());
        try {
            definitions.forEach(this::add);
        }
        catch (RuntimeException ex) {
            closeChannels();
            throw ex;
        }
    }

    private static CounterImplementation chooseImplementation(FallbackPolicy fallback) {
        return switch (fallback) {
            case IN_MEMORY -> CounterImplementation.IN_MEMORY;
            case FAIL -> {
                if (!EventFdSupport.isAvailable()) {
                    throw new EventFdUnavailableException("eventfd.fallback is 'fail' and eventfd(2) is not available "
                            + "here (" + EventFdSupport.unavailabilityCause() + "); set eventfd.fallback=auto to use "
                            + "in-JVM counters instead", EventFdSupport.unavailabilityCause());
                }
                yield CounterImplementation.EVENTFD;
            }
            case AUTO -> {
                if (EventFdSupport.isAvailable()) {
                    yield CounterImplementation.EVENTFD;
                }
                logger.warn("eventfd(2) is not available here (" + EventFdSupport.unavailabilityCause() + "); "
                        + "channels use in-JVM counters with the same semantics and cannot be shared between processes");
                yield CounterImplementation.IN_MEMORY;
            }
        };
    }

    private synchronized EventFdChannel add(ChannelDefinition definition) {
        EventFdChannel existing = this.channels.get(definition.name());
        if (existing != null) {
            return existing;
        }
        Map<ShareErrorReason, LongAdder> shareErrors = new EnumMap<>(ShareErrorReason.class);
        for (ShareErrorReason reason : ShareErrorReason.values()) {
            shareErrors.put(reason, new LongAdder());
        }
        EventFdChannel channel = new EventFdChannel(definition, createCounter(definition, shareErrors), this.publisher,
                shareErrors);
        this.channels.put(definition.name(), channel);
        if (this.running) {
            subscribe(channel);
        }
        this.channelAddedCallbacks.forEach(callback -> callback.accept(channel));
        return channel;
    }

    private EventCounter createCounter(ChannelDefinition definition, Map<ShareErrorReason, LongAdder> shareErrors) {
        ChannelSharing sharing = definition.sharing();
        if (sharing != null) {
            return openShared(definition, sharing, shareErrors);
        }
        if (this.implementation == CounterImplementation.EVENTFD) {
            return EventFd.create(definition.mode(), definition.initialValue());
        }
        String name = definition.name();
        return new InMemoryEventCounter(definition.mode(), definition.initialValue(), () -> {
            InMemoryDispatch dispatch = this.inMemoryDispatches.get(name);
            if (dispatch != null) {
                dispatch.signalled();
            }
        });
    }

    private SharedChannel openShared(ChannelDefinition definition, ChannelSharing sharing,
            Map<ShareErrorReason, LongAdder> shareErrors) {
        String name = definition.name();
        if (this.implementation != CounterImplementation.EVENTFD) {
            Throwable cause = EventFdSupport.unavailabilityCause();
            throw new EventFdUnavailableException("channel '" + name + "' is shared between processes (eventfd.channels."
                    + name + ".share.socket) and that needs eventfd(2), which "
                    + ((cause != null) ? "is not available here: " + cause : "eventfd.fallback=in-memory turned off"),
                    cause);
        }
        ShareOptions options = ShareOptions.builder(name, sharing.socket()).kind(sharing.kind())
                .mode(definition.mode()).initialValue(definition.initialValue()).role(sharing.role())
                .socketPermissions(sharing.socketPermissions()).allowedUids(sharing.allowedUids())
                .reconnectInterval(sharing.reconnectInterval()).attachTimeout(sharing.attachTimeout()).build();
        ShareListener listener = new ShareListener() {
            @Override
            public void resync(String reason) {
                publishResync(name, reason);
            }

            @Override
            public void refused(ShareErrorReason reason, String detail) {
                LongAdder errors = shareErrors.get(reason);
                if (errors != null) {
                    errors.increment();
                }
            }
        };
        return SharedChannel.open(options, listener);
    }

    private synchronized void publishResync(String name, String reason) {
        if (!this.running) {
            // listeners exist once the context has started; an attach during startup is told to them then
            this.pendingResyncs.put(name, reason);
            return;
        }
        Runnable publish = () -> {
            EventFdChannel channel = this.channels.get(name);
            this.publisher.publishEvent(new EventFdResyncEvent((channel != null) ? channel : this, name, reason));
        };
        try {
            this.listenerExecutor.execute(publish);
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot hand the resync of eventfd channel '" + name + "' to the listener executor", ex);
        }
    }

    /**
     * Record a listener method of a channel; the channel is created with default settings if no
     * configuration declared it.
     * @param name the channel name
     * @param listener the listener's name
     * @return the channel
     */
    public EventFdChannel registerListener(String name, String listener) {
        EventFdChannel channel = this.channels.get(name);
        if (channel == null) {
            channel = add(ChannelDefinition.withDefaults(name));
        }
        channel.listenerAdded(listener);
        return channel;
    }

    /**
     * Run {@code callback} for every channel there is and for every channel added later.
     * @param callback what to run, for example binding meters
     */
    public synchronized void forEachChannel(Consumer<EventFdChannel> callback) {
        this.channels.values().forEach(callback);
        this.channelAddedCallbacks.add(callback);
    }

    /**
     * The channel of that name.
     * @param name the channel name
     * @return the channel
     * @throws IllegalArgumentException if there is no such channel, listing those there are
     */
    public EventFdChannel channel(String name) {
        EventFdChannel channel = this.channels.get(name);
        if (channel == null) {
            throw new IllegalArgumentException("no eventfd channel '" + name + "'; the channels are "
                    + this.channels.keySet());
        }
        return channel;
    }

    /**
     * The channel of that name, if there is one.
     * @param name the channel name
     * @return the channel or empty
     */
    public Optional<EventFdChannel> find(String name) {
        return Optional.ofNullable(this.channels.get(name));
    }

    /**
     * Every channel, sorted by name.
     * @return the channels
     */
    public List<EventFdChannel> channels() {
        return List.copyOf(this.channels.values());
    }

    /**
     * What backs the channels.
     * @return eventfd, or in-memory where the fallback applies
     */
    public CounterImplementation implementation() {
        return this.implementation;
    }

    /**
     * Why the poller stopped on its own, if it did.
     * @return the failure, or {@code null}
     */
    public @Nullable Throwable pollerFailure() {
        EventFdPoller current = this.poller;
        Throwable failure = (current != null) ? current.failure() : null;
        return (failure != null) ? failure : this.pollerFailure;
    }

    /**
     * Whether signals are being delivered: started, and the poller (if any) alive.
     * @return {@code true} while delivering
     */
    public boolean isDelivering() {
        EventFdPoller current = this.poller;
        return this.running && (current == null || current.isRunning());
    }

    /**
     * The settings this registry runs with.
     * @return the settings
     */
    public Settings settings() {
        return this.settings;
    }

    @Override
    public synchronized void start() {
        if (this.running) {
            return;
        }
        if (this.implementation == CounterImplementation.EVENTFD) {
            this.poller = EventFdPoller.builder().threadName(this.settings.pollerThreadName())
                    // stop() waits for running listeners itself, within the drain timeout; the poller need not wait again
                    .maxEventsPerWait(this.settings.maxEventsPerWait()).closeTimeout(Duration.ZERO)
                    .errorHandler(this::pollerError).start();
        }
        else {
            this.inMemoryInlineExecutor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, this.settings.pollerThreadName());
                thread.setDaemon(true);
                return thread;
            });
        }
        this.running = true;
        this.channels.values().forEach(this::subscribe);
        Map<String, String> resyncs = new LinkedHashMap<>(this.pendingResyncs);
        this.pendingResyncs.clear();
        resyncs.forEach(this::publishResync);
    }

    private void subscribe(EventFdChannel channel) {
        boolean inline = channel.dispatch() == Dispatch.INLINE;
        EventCounter counter = channel.counter();
        if (counter instanceof SharedChannel shared) {
            if (shared.shareOptions().kind() == ShareKind.QUEUE && channel.listeners().isEmpty()) {
                logger.info("Not reading shared queue channel '" + channel.channel() + "': no @EventFdListener for it "
                        + "here, so its signals are left for the processes that have one");
                return;
            }
            EventFdPoller current = started(this.poller);
            PollerRegistration registration = inline
                    ? shared.register(current, (fd, count) -> channel.deliver(count))
                    : shared.register(current, (fd, count) -> channel.deliver(count), this.listenerExecutor);
            this.subscriptions.put(channel.channel(), registration::close);
            return;
        }
        if (counter instanceof EventFd eventFd) {
            EventFdPoller current = started(this.poller);
            PollerRegistration registration = inline
                    ? current.register(eventFd, (fd, count) -> channel.deliver(count))
                    : current.register(eventFd, (fd, count) -> channel.deliver(count), this.listenerExecutor);
            this.subscriptions.put(channel.channel(), registration::close);
        }
        else {
            InMemoryDispatch dispatch = new InMemoryDispatch(channel,
                    inline ? started(this.inMemoryInlineExecutor) : this.listenerExecutor);
            this.inMemoryDispatches.put(channel.channel(), dispatch);
            this.subscriptions.put(channel.channel(), dispatch);
            dispatch.signalled();
        }
    }

    /** What {@link #start()} creates, for use while running. */
    private static <T> T started(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("eventfd channels are not started");
        }
        return value;
    }

    private void pollerError(@Nullable EventFd eventFd, Throwable error) {
        if (eventFd == null) {
            this.pollerFailure = error;
            logger.error("The eventfd poller failed and stopped; channels are no longer delivered", error);
        }
        else {
            logger.error("Delivery failed for " + eventFd, error);
        }
    }

    /**
     * Stop delivering: wait for running listeners, then deliver on this thread what was signalled before,
     * all within the drain timeout. Channels stay open and keep counting until {@link #destroy()}.
     */
    @Override
    public synchronized void stop() {
        if (!this.running) {
            return;
        }
        this.running = false;
        long deadline = System.nanoTime() + this.settings.drainTimeout().toNanos();
        // only channels this process reads are drained: a shared queue without listeners here is left to others
        List<String> subscribed = new ArrayList<>(this.subscriptions.keySet());
        List<String> drained = new ArrayList<>(subscribed);
        this.subscriptions.forEach((name, subscription) -> {
            if (!subscription.close(remaining(deadline))) {
                // draining it now would run its listener twice at once: what is left is reported instead
                drained.remove(name);
                logger.warn("A listener of eventfd channel '" + name + "' was still running after the drain timeout "
                        + this.settings.drainTimeout() + "; shutdown goes on without it");
            }
        });
        this.subscriptions.clear();
        this.inMemoryDispatches.clear();
        if (this.poller != null) {
            this.poller.close();
            this.poller = null;
        }
        if (this.inMemoryInlineExecutor != null) {
            this.inMemoryInlineExecutor.shutdown();
            this.inMemoryInlineExecutor = null;
        }
        drain(drained, deadline);
        List<String> undelivered = new ArrayList<>();
        for (String name : subscribed) {
            long left = pendingOrZero(channel(name));
            if (left != 0) {
                undelivered.add(name + "=" + Long.toUnsignedString(left));
            }
        }
        if (!undelivered.isEmpty()) {
            logger.warn("Signals still pending after the drain timeout " + this.settings.drainTimeout() + ": "
                    + undelivered);
        }
    }

    /**
     * Deliver what is left in each channel, one thread per channel so that a listener that blocks delays
     * neither the others nor shutdown beyond the deadline.
     */
    private void drain(List<String> names, long deadline) {
        List<Thread> drainers = new ArrayList<>();
        for (String name : names) {
            EventFdChannel channel = channel(name);
            Thread drainer = new Thread(() -> channel.drain(remaining(deadline)), "eventfd-drain-" + name);
            drainer.setDaemon(true);
            drainer.start();
            drainers.add(drainer);
        }
        for (Thread drainer : drainers) {
            try {
                drainer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long pendingOrZero(EventFdChannel channel) {
        try {
            return channel.pendingCount();
        }
        catch (IllegalStateException ex) {
            return 0;
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Stop if needed, then close every channel and its descriptor.
     */
    @Override
    public void destroy() {
        stop();
        closeChannels();
    }

    private void closeChannels() {
        this.channels.values().forEach(channel -> channel.counter().close());
    }

    /**
     * Settings of the registry.
     *
     * @param fallback what to do where eventfd is missing
     * @param pollerThreadName name of the poller thread
     * @param maxEventsPerWait most ready channels handled per epoll_wait
     * @param drainTimeout how long stop waits for listeners and delivers what is left
     */
    public record Settings(FallbackPolicy fallback, String pollerThreadName, int maxEventsPerWait,
            Duration drainTimeout) {

        /**
         * Check the settings.
         * @throws IllegalArgumentException naming the bad value
         */
        public Settings {
            Objects.requireNonNull(fallback, "'fallback' must not be null");
            Objects.requireNonNull(drainTimeout, "'drainTimeout' must not be null");
            if (pollerThreadName == null || pollerThreadName.isBlank()) {
                throw new IllegalArgumentException("'eventfd.poller.thread-name' must not be blank but was '"
                        + pollerThreadName + "'");
            }
            if (maxEventsPerWait < 1 || maxEventsPerWait > 4096) {
                throw new IllegalArgumentException("'eventfd.poller.max-events-per-wait' must be between 1 and 4096 "
                        + "but was " + maxEventsPerWait);
            }
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("'eventfd.shutdown.drain-timeout' must be zero or positive but was "
                        + drainTimeout);
            }
        }
    }
}
