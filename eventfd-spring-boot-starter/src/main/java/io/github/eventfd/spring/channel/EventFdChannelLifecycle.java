package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.EventFdRules;
import io.github.eventfd.PollerRegistration;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The delivery of every channel of a registry: one poller thread for all eventfd channels, started with the
 * context and stopped after the web server, draining what was already signalled before the registry closes
 * the descriptors.
 */
public class EventFdChannelLifecycle implements SmartLifecycle, DisposableBean {

    /**
     * The lifecycle phase: below the web server's graceful shutdown and stop phases, so the channels start
     * before the server accepts requests and stop only after requests in flight have finished signalling.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    private static final Log logger = LogFactory.getLog(EventFdChannelLifecycle.class);

    private final EventFdChannelRegistry registry;

    private final Settings settings;

    private final Executor listenerExecutor;

    private final Redeliveries redeliveries;

    private final Map<String, AbstractEventFdChannel> channels = new ConcurrentHashMap<>();

    private final Map<String, ChannelSubscription> subscriptions = new ConcurrentHashMap<>();

    private final Map<String, InMemorySubscription> inMemoryDispatches = new ConcurrentHashMap<>();

    /**
     * Poller registrations closed while their delivery still ran: the eventfd stays in the epoll set until that
     * delivery returns, so the channel cannot be registered again before.
     */
    private final Map<String, PollerRegistration> leaving = new ConcurrentHashMap<>();

    private final Map<String, String> pendingResyncs = new LinkedHashMap<>();

    /** Read by health and endpoint threads: one value, swapped whole under this object's lock. */
    private volatile State state = Stopped.INSTANCE;

    private volatile @Nullable Throwable pollerFailure;

    private boolean connected;

    /**
     * Create the lifecycle; nothing is delivered before {@link #start()}.
     * @param registry the channels to deliver, those there are and those added later
     * @param settings poller and shutdown settings
     * @param listenerExecutor where channels with {@link Dispatch#EXECUTOR} run their listeners, and where
     * resyncs run
     */
    public EventFdChannelLifecycle(EventFdChannelRegistry registry, Settings settings, Executor listenerExecutor) {
        this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        this.listenerExecutor = Objects.requireNonNull(listenerExecutor, "'listenerExecutor' must not be null");
        this.redeliveries = new Redeliveries(settings.pollerThreadName() + "-redelivery");
    }

    /**
     * The settings this lifecycle runs with.
     * @return the settings
     */
    public Settings settings() {
        return this.settings;
    }

    /**
     * Why the poller stopped on its own, if it did.
     * @return the failure, or {@code null}
     */
    public @Nullable Throwable pollerFailure() {
        EventFdPoller poller = (this.state instanceof Running running) ? running.poller() : null;
        Throwable failure = (poller != null) ? poller.failure() : null;
        return (failure != null) ? failure : this.pollerFailure;
    }

    /**
     * Whether signals are being delivered: started, and the poller (if any) alive.
     * @return {@code true} while delivering
     */
    public boolean isDelivering() {
        if (!(this.state instanceof Running running)) {
            return false;
        }
        EventFdPoller poller = running.poller();
        return poller == null || poller.isRunning();
    }

    /**
     * Start delivering. Shared channels serve or attach first, each waiting for a server up to its attach timeout:
     * creating the beans never waits for another process, starting the context does.
     * @throws ChannelSharingException if a shared channel can neither serve nor attach; nothing is delivered then
     */
    @Override
    public synchronized void start() {
        if (this.state instanceof Running) {
            return;
        }
        for (AbstractEventFdChannel channel : this.registry.channels()) {
            channel.openSharing();
        }
        Running running;
        if (this.registry.implementation() == CounterImplementation.EVENTFD) {
            running = new Running(EventFdPoller.builder().threadName(this.settings.pollerThreadName())
                    // stop() waits for running listeners itself, within the drain timeout; the poller need not wait again
                    .maxEventsPerWait(this.settings.maxEventsPerWait()).closeTimeout(Duration.ZERO)
                    .errorHandler(this::pollerError).start(), null, daemonPool(this.settings.pollerThreadName()
                            + "-resubscribe"));
        }
        else {
            running = new Running(null, Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, this.settings.pollerThreadName());
                thread.setDaemon(true);
                return thread;
            }), null);
        }
        this.state = running;
        this.redeliveries.open();
        if (this.connected) {
            this.channels.values().forEach(channel -> subscribe(channel, running));
        }
        else {
            this.connected = true;
            this.registry.forEachChannel(this::channelAdded);
        }
        Map<String, String> resyncs = new LinkedHashMap<>(this.pendingResyncs);
        this.pendingResyncs.clear();
        for (Map.Entry<String, String> resync : resyncs.entrySet()) {
            publishResync(resync.getKey(), resync.getValue());
        }
    }

    private synchronized void channelAdded(AbstractEventFdChannel channel) {
        String name = channel.channel();
        if (this.channels.putIfAbsent(name, channel) != null) {
            return;
        }
        channel.redeliverWith(this.redeliveries);
        channel.hooks().connect(new ChannelHooks.Receiver() {
            @Override
            public void signalled() {
                InMemorySubscription dispatch = EventFdChannelLifecycle.this.inMemoryDispatches.get(name);
                if (dispatch != null) {
                    dispatch.signalled();
                }
            }

            @Override
            public void resync(String reason) {
                publishResync(name, reason);
            }

            @Override
            public void readingChanged() {
                EventFdChannelLifecycle.this.readingChanged(name);
            }
        });
        if (this.state instanceof Running running) {
            subscribe(channel, running);
        }
    }

    private synchronized void publishResync(String name, String reason) {
        AbstractEventFdChannel channel = this.channels.get(name);
        if (!(this.state instanceof Running) || channel == null) {
            // listeners exist once the context has started; an attach during startup is told to them then
            this.pendingResyncs.put(name, reason);
            return;
        }
        try {
            this.listenerExecutor.execute(() -> channel.resync(reason));
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot hand the resync of eventfd channel '" + name + "' to the listener executor", ex);
        }
    }

    /**
     * Read a channel or leave its counter alone, as it now asks: paused, resumed, or its listeners changed.
     * Leaving it waits for no delivery, so a listener may pause its own channel.
     */
    private synchronized void readingChanged(String name) {
        AbstractEventFdChannel channel = this.channels.get(name);
        if (!(this.state instanceof Running running) || channel == null) {
            return;
        }
        if (channel.isReading()) {
            subscribe(channel, running);
        }
        else {
            this.inMemoryDispatches.remove(name);
            ChannelSubscription subscription = this.subscriptions.remove(name);
            if (subscription != null && !subscription.close(Duration.ZERO)
                    && subscription instanceof Registered registered) {
                this.leaving.put(name, registered.registration());
            }
        }
    }

    /**
     * Whether the registration a channel left while its delivery ran has let go of the eventfd; if not, a
     * thread of {@code running} waits for it and reads the channel again after. Closing it again from the
     * thread of that delivery (a listener resuming its own channel) lets go at once.
     */
    private boolean leftEpollSet(String name, Running running) {
        PollerRegistration previous = this.leaving.get(name);
        if (previous == null) {
            return true;
        }
        if (previous.close(Duration.ZERO)) {
            this.leaving.remove(name, previous);
            return true;
        }
        ExecutorService waiter = running.resubscriber();
        if (waiter != null) {
            try {
                waiter.execute(() -> {
                    previous.close();
                    readingChanged(name);
                });
            }
            catch (RejectedExecutionException ex) {
                // stopping: the next start registers the channel with a new poller
            }
        }
        return false;
    }

    private void subscribe(AbstractEventFdChannel channel, Running running) {
        String name = channel.channel();
        if (this.subscriptions.containsKey(name)) {
            return;
        }
        // a channel added while delivery runs
        channel.openSharing();
        boolean inline = channel.dispatch() == Dispatch.INLINE;
        EventCounter counter = channel.counter();
        if (!channel.isReading()) {
            if (SharedChannels.isSharedQueue(counter) && channel.listeners().isEmpty()) {
                logger.info("Not reading shared queue channel '" + name + "': no @EventFdListener for it "
                        + "here, so its signals are left for the processes that have one");
            }
            else {
                logger.info("Not reading channel '" + name + "' for now: it is paused or its listeners are "
                        + "stopped, so its signals stay in the counter");
            }
            return;
        }
        EventFdPoller poller = running.poller();
        if (poller != null && !leftEpollSet(name, running)) {
            // registering the eventfd again now would fail (EEXIST): it is, once the running delivery returns
            return;
        }
        PollerRegistration registration = (poller != null) ? SharedChannels.register(counter, poller,
                (fd, count) -> channel.deliver(count), inline ? null : this.listenerExecutor) : null;
        if (registration != null) {
            this.subscriptions.put(name, new Registered(registration));
        }
        else {
            ExecutorService inlineExecutor = running.inlineExecutor();
            InMemorySubscription dispatch = channel.deliversOnSignallingThread() ? new SynchronousDispatch(channel)
                    : new InMemoryDispatch(channel, (inline && inlineExecutor != null) ? inlineExecutor
                            : this.listenerExecutor);
            this.inMemoryDispatches.put(name, dispatch);
            this.subscriptions.put(name, dispatch);
            dispatch.signalled();
        }
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
     * all within the drain timeout. Channels stay open and keep counting until the registry is destroyed.
     */
    @Override
    public synchronized void stop() {
        if (!(this.state instanceof Running running)) {
            return;
        }
        this.state = Stopped.INSTANCE;
        long deadline = System.nanoTime() + this.settings.drainTimeout().toNanos();
        // only channels this process reads are drained: a shared queue without listeners here is left to others, a
        // paused channel (or one whose listeners are all stopped) keeps its count
        List<String> subscribed = new ArrayList<>(this.subscriptions.keySet());
        List<String> drained = new ArrayList<>(subscribed);
        Map<String, AbstractEventFdChannel.InFlight> stuck = new LinkedHashMap<>();
        this.subscriptions.forEach((name, subscription) -> {
            if (!subscription.close(remaining(deadline))) {
                // draining it now would run its listener twice at once: what is left is reported instead
                drained.remove(name);
                AbstractEventFdChannel channel = this.channels.get(name);
                AbstractEventFdChannel.InFlight inFlight = (channel != null) ? channel.inFlight() : null;
                if (inFlight != null) {
                    stuck.put(name, inFlight);
                }
            }
        });
        this.leaving.forEach((name, registration) -> {
            AbstractEventFdChannel channel = this.channels.get(name);
            AbstractEventFdChannel.InFlight inFlight = (channel != null) ? channel.inFlight() : null;
            if (!registration.close(remaining(deadline)) && inFlight != null) {
                stuck.putIfAbsent(name, inFlight);
            }
        });
        this.leaving.clear();
        this.subscriptions.clear();
        this.inMemoryDispatches.clear();
        running.close();
        // redeliveries still waiting go back into their counters now, for the drain to deliver
        this.redeliveries.flush();
        drain(drained, deadline);
        List<String> report = new ArrayList<>();
        for (String name : subscribed) {
            AbstractEventFdChannel channel = this.channels.get(name);
            long pending = pendingOrZero(channel);
            AbstractEventFdChannel.InFlight inFlight = stuck.get(name);
            if (inFlight == null && channel != null) {
                inFlight = channel.inFlight();
            }
            if (pending != 0 || inFlight != null) {
                report.add(describe(name, pending, inFlight));
            }
        }
        if (!report.isEmpty()) {
            logger.warn("eventfd channels not fully delivered within the drain timeout " + this.settings.drainTimeout()
                    + " (what is pending is left to a shared channel's other processes, and is otherwise lost with "
                    + "this process, as is what is in flight): " + String.join("; ", report));
        }
    }

    private static String describe(String name, long pending, AbstractEventFdChannel.@Nullable InFlight inFlight) {
        StringBuilder line = new StringBuilder("channel '").append(name).append("': ")
                .append(Long.toUnsignedString(pending)).append(" pending in the counter");
        if (inFlight != null) {
            String what = (inFlight.event() instanceof EventFdSignalEvent signal)
                    ? "a delivery of " + Long.toUnsignedString(signal.getCount()) : "a resync";
            line.append(", ").append(what).append(" in flight in listener ").append(inFlight.listener())
                    .append(", which had not returned after ")
                    .append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inFlight.since())).append(" ms");
        }
        return line.toString();
    }

    /**
     * Deliver what is left in each channel, one thread per channel so that a listener that blocks delays
     * neither the others nor shutdown beyond the deadline.
     */
    private void drain(List<String> names, long deadline) {
        List<Thread> drainers = new ArrayList<>();
        for (String name : names) {
            AbstractEventFdChannel channel = this.channels.get(name);
            if (channel == null) {
                continue;
            }
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

    private static long pendingOrZero(@Nullable AbstractEventFdChannel channel) {
        try {
            return (channel != null) ? channel.pendingCount() : 0;
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
        return this.state instanceof Running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Stop if still running; the registry closes the channels after.
     */
    @Override
    public void destroy() {
        stop();
    }

    /** Whether and how delivery runs. */
    private sealed interface State permits Stopped, Running {
    }

    /** Not delivering. */
    private enum Stopped implements State {
        INSTANCE
    }

    /**
     * Delivering: through a poller where the channels are eventfds, or with an executor for the inline
     * dispatch of in-memory channels. The resubscriber waits for registrations left mid-delivery to let go of
     * their eventfd (rare: a resume or start while a delivery of the channel runs).
     */
    private record Running(@Nullable EventFdPoller poller, @Nullable ExecutorService inlineExecutor,
            @Nullable ExecutorService resubscriber) implements State {

        void close() {
            if (this.poller != null) {
                this.poller.close();
            }
            if (this.inlineExecutor != null) {
                this.inlineExecutor.shutdown();
            }
            if (this.resubscriber != null) {
                this.resubscriber.shutdown();
            }
        }
    }

    private static ExecutorService daemonPool(String threadName) {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A channel read through the poller. */
    private record Registered(PollerRegistration registration) implements ChannelSubscription {

        @Override
        public boolean close(Duration maxWait) {
            return this.registration.close(maxWait);
        }
    }

    /**
     * Settings of the delivery.
     *
     * @param pollerThreadName name of the poller thread
     * @param maxEventsPerWait most ready channels handled per epoll_wait
     * @param drainTimeout how long stop waits for listeners and delivers what is left
     */
    public record Settings(String pollerThreadName, int maxEventsPerWait, Duration drainTimeout) {

        /** The most ready channels one epoll_wait may return. */
        public static final int MAX_EVENTS_PER_WAIT = EventFdRules.MAX_EVENTS_PER_WAIT;

        /**
         * Check the settings.
         * @throws InvalidSettingException naming the bad setting
         */
        public Settings {
            Objects.requireNonNull(drainTimeout, "'drainTimeout' must not be null");
            if (pollerThreadName == null || pollerThreadName.isBlank()) {
                throw new InvalidSettingException("pollerThreadName", "must not be blank but was '" + pollerThreadName
                        + "'");
            }
            try {
                EventFdRules.checkMaxEventsPerWait(maxEventsPerWait);
            }
            catch (IllegalArgumentException ex) {
                throw InvalidSettingException.of("maxEventsPerWait", ex);
            }
            if (drainTimeout.isNegative()) {
                throw new InvalidSettingException("drainTimeout", "must be zero or positive but was " + drainTimeout);
            }
        }
    }
}
