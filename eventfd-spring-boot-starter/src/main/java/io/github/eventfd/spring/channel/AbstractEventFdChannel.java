package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.share.ShareErrorReason;
import io.github.eventfd.share.SharedChannel;
import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdResyncEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.bridge.OutgoingSignals;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The state of one channel: its counter, its statistics, its listeners and its deliveries. A delivery or a
 * resync calls the channel's {@link ChannelListener}s itself, in order, one delivery at a time (a gate that
 * deliveries, resyncs and the shutdown drain all pass), and then publishes the event for plain
 * {@code @EventListener} methods, which run as the application's multicaster decides. Its only
 * subclass is {@link io.github.eventfd.spring.EventFdChannel}, the type applications see; what the
 * {@link EventFdChannelLifecycle} needs to deliver stays package-private here.
 */
public abstract class AbstractEventFdChannel {

    private static final Log logger = LogFactory.getLog(AbstractEventFdChannel.class);

    private final ChannelDefinition definition;

    private final EventCounter counter;

    private final ChannelHooks hooks;

    private final ApplicationEventPublisher publisher;

    private final LongAdder sent = new LongAdder();

    private final LongAdder received = new LongAdder();

    private final LongAdder wakeups = new LongAdder();

    private final LongAdder deliveryErrors = new LongAdder();

    private final LongAdder failedSignals = new LongAdder();

    /** Holds back signals made inside a transaction; {@code null} if they ring at once. */
    private final @Nullable TransactionalSignals transactional;

    private final List<ListenerInvoker> listeners = new CopyOnWriteArrayList<>();

    /** One delivery or resync at a time, whoever runs it: the poller, the listener executor or the drain. */
    private final ReentrantLock gate = new ReentrantLock();

    /** The reason of a resync asked for and not yet run, or {@code null}. */
    private final AtomicReference<@Nullable String> pendingResync = new AtomicReference<>();

    /** The event being delivered and the listener running it now, for the shutdown report. */
    private volatile @Nullable InFlight inFlight;

    private volatile @Nullable Redeliveries redeliveries;

    private final Map<ShareErrorReason, LongAdder> shareErrors;

    private final boolean synchronous;

    /** Whether this process leaves the counter alone: set by {@link #pause()}, cleared by {@link #resume()}. */
    private volatile boolean paused;

    /** Where signals add up for the bridge that carries this channel to other hosts; {@code null} if none does. */
    private volatile @Nullable OutgoingSignals outgoing;

    /** Whether signals go to the bridge only (a queue across hosts), not to the local counter. */
    private volatile boolean bridgedOnly;

    /**
     * Create the channel from what {@link EventFdChannelFactory#create} made for it.
     * @param parts the counter and its callbacks
     */
    protected AbstractEventFdChannel(ChannelParts parts) {
        this.definition = parts.definition();
        this.counter = parts.counter();
        this.hooks = parts.hooks();
        this.publisher = parts.publisher();
        this.shareErrors = parts.shareErrors();
        this.synchronous = parts.synchronous();
        this.transactional = TransactionalSignals.of(this.definition, this::ringAfterCommit, this.failedSignals);
    }

    /**
     * The channel name.
     * @return the name, as under {@code eventfd.channels.<name>}
     */
    public String channel() {
        return this.definition.name();
    }

    /**
     * Add 1 to the channel's counter: at once, or, inside a Spring-managed transaction with
     * {@link SignalTiming#AFTER_COMMIT}, when it commits.
     * @throws io.github.eventfd.CounterOverflowException if the counter is at its maximum, or inside a
     * transaction if the sum it signalled on this channel is; nothing is added
     * @throws IllegalStateException if the channel is closed
     */
    public void signal() {
        if (heldBack(1) || bridgedOnly(1)) {
            return;
        }
        try {
            this.counter.signal();
        }
        catch (IllegalStateException ex) {
            throw closed(ex);
        }
        this.sent.increment();
        bridged(1);
    }

    /**
     * Add {@code n} to the channel's counter: at once, or, inside a Spring-managed transaction with
     * {@link SignalTiming#AFTER_COMMIT}, when it commits.
     * @param n 1 to {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if {@code n} is 0 or negative
     * @throws io.github.eventfd.CounterOverflowException if the counter would pass its maximum, or inside a
     * transaction if the sum it signalled on this channel would; nothing is added
     * @throws IllegalStateException if the channel is closed
     */
    public void signal(long n) {
        if (heldBack(n) || bridgedOnly(n)) {
            return;
        }
        try {
            this.counter.signal(n);
        }
        catch (IllegalStateException ex) {
            throw closed(ex);
        }
        this.sent.add(n);
        bridged(n);
    }

    /** Add what was signalled here to what the bridge sends, if one carries the channel: never blocks or throws. */
    private void bridged(long n) {
        OutgoingSignals bridge = this.outgoing;
        if (bridge != null) {
            bridge.add(n);
        }
    }

    /**
     * A queue across hosts: the signal waits for the bridge, which sends it to the engine for any host to claim,
     * and never reaches the local counter directly.
     */
    private boolean bridgedOnly(long n) {
        OutgoingSignals bridge = this.outgoing;
        if (bridge == null || !this.bridgedOnly) {
            return false;
        }
        if (n <= 0) {
            throw new IllegalArgumentException("'n' must be 1 or more but was " + n);
        }
        if (this.counter.isClosed()) {
            throw closed(null);
        }
        bridge.add(n);
        this.sent.add(n);
        return true;
    }

    /**
     * From now on, add every signal made here to {@code outgoing}: besides the local counter, or instead of it
     * when {@code only} (a queue across hosts).
     */
    void bridgeTo(OutgoingSignals outgoing, boolean only) {
        this.bridgedOnly = only;
        this.outgoing = outgoing;
    }

    /** Hold {@code n} back until the transaction of this thread commits, if there is one to wait for. */
    private boolean heldBack(long n) {
        TransactionalSignals transactional = this.transactional;
        if (transactional == null || !transactional.inTransaction()) {
            return false;
        }
        if (this.counter.isClosed()) {
            throw closed(null);
        }
        transactional.holdBack(n);
        return true;
    }

    /** Write the sum a transaction signalled, once it committed. */
    private void ringAfterCommit(long sum) {
        OutgoingSignals bridge = this.outgoing;
        if (bridge != null && this.bridgedOnly) {
            bridge.add(sum);
            this.sent.add(sum);
            return;
        }
        try {
            this.counter.signalUnsigned(sum);
        }
        catch (IllegalStateException ex) {
            throw closed(ex);
        }
        this.sent.add(sum);
        bridged(sum);
    }

    private IllegalStateException closed(@Nullable IllegalStateException cause) {
        return new IllegalStateException("eventfd channel '" + channel() + "' is closed", cause);
    }

    /**
     * The count signalled but not yet delivered.
     * @return the unsigned count now in the counter
     * @throws IllegalStateException if the channel is closed
     */
    public long pendingCount() {
        try {
            return this.counter.pendingCount();
        }
        catch (IllegalStateException ex) {
            throw closed(ex);
        }
    }

    /**
     * Deliver {@code count}: call the listeners in order, then publish an {@link EventFdSignalEvent} for plain
     * listeners. A failure that escapes a plain listener is logged and counted. A count read while the channel's
     * listeners were all stopped (it was read before the last one stopped, and waited for the gate) goes back
     * into the counter for the next start, as the signals made after the stop do.
     * @return {@code false} if it went back into the counter
     */
    boolean deliver(long count) {
        EventFdSignalEvent event = new EventFdSignalEvent(this, channel(), count);
        this.gate.lock();
        try {
            List<ListenerInvoker> running = runningListeners();
            if (running == null) {
                putBack(count);
                return false;
            }
            this.received.add(count);
            this.wakeups.increment();
            callListeners(event, running);
            return true;
        }
        finally {
            this.inFlight = null;
            this.gate.unlock();
            gateReleased();
        }
    }

    /**
     * The listeners a delivery calls: those running when it takes the gate, so that a listener stopped while
     * the delivery runs still gets it; {@code null} if the channel has listeners and none runs.
     */
    private @Nullable List<ListenerInvoker> runningListeners() {
        List<ListenerInvoker> running = new ArrayList<>(this.listeners.size());
        for (ListenerInvoker listener : this.listeners) {
            if (listener.isRunning()) {
                running.add(listener);
            }
        }
        return (running.isEmpty() && !this.listeners.isEmpty()) ? null : running;
    }

    private void putBack(long count) {
        try {
            SharedChannels.addBack(this.counter, count);
        }
        catch (RuntimeException ex) {
            logger.error("Lost a delivery of " + Long.toUnsignedString(count) + " on eventfd channel '" + channel()
                    + "', read as its last listener stopped, which cannot go back into the counter: "
                    + ex.getMessage(), ex);
        }
    }

    /**
     * After a delivery or resync let go of the gate: run a resync asked for meanwhile; and, where signals are
     * delivered on the signalling thread, deliver what a listener signalled while no delivery could take it
     * (it had paused and resumed its own channel, so the delivery that was running stopped at its end).
     */
    private void gateReleased() {
        if (this.gate.isHeldByCurrentThread()) {
            return;
        }
        runPendingResync();
        if (this.synchronous && pendingOrZero() != 0) {
            this.hooks.signalled();
        }
    }

    private long pendingOrZero() {
        try {
            return this.counter.pendingCount();
        }
        catch (IllegalStateException ex) {
            return 0;
        }
    }

    /**
     * Tell the listeners that want it, then plain listeners, that a shared channel attached, re-attached or
     * took over: at once on this thread if no delivery of the channel runs, otherwise on the delivery's thread
     * as soon as it ends; while the channel is paused or its listeners are all stopped, once that ends.
     * Never waits; resyncs asked for meanwhile are told once, with the latest reason.
     */
    void resync(String reason) {
        this.pendingResync.set(reason);
        runPendingResync();
    }

    /**
     * Run the resync asked for, if any, if deliveries do not wait and if no delivery runs: whoever releases the gate
     * checks again, so a resync asked for while the gate was taken is run by its holder; one asked for while the
     * channel was paused (or its listeners all stopped) is handed to the delivery again by {@link #readingChanged()}.
     */
    private void runPendingResync() {
        while (this.pendingResync.get() != null && !holdsDeliveries() && this.gate.tryLock()) {
            try {
                String reason = this.pendingResync.getAndSet(null);
                if (reason != null) {
                    List<ListenerInvoker> running = runningListeners();
                    callListeners(new EventFdResyncEvent(this, channel(), reason),
                            (running != null) ? running : List.of());
                }
            }
            finally {
                this.inFlight = null;
                this.gate.unlock();
            }
        }
    }

    /**
     * The channel was paused or resumed, or a listener added, removed, stopped or started: tell the delivery;
     * once it reads again, hand it the resync that waited.
     */
    private void readingChanged() {
        this.hooks.readingChanged();
        if (this.pendingResync.get() != null && !holdsDeliveries()) {
            String reason = this.pendingResync.getAndSet(null);
            if (reason != null) {
                this.hooks.resync(reason);
            }
        }
    }

    /** Whether deliveries and resyncs wait: the channel is paused, or it has listeners and all are stopped. */
    private boolean holdsDeliveries() {
        return this.paused || runningListeners() == null;
    }

    /** The reason of a resync asked for and not yet run, or {@code null}. */
    @Nullable String pendingResync() {
        return this.pendingResync.get();
    }

    /**
     * Whether a delivery or resync of this channel runs on the calling thread (a listener is the caller).
     */
    boolean deliversOnCurrentThread() {
        return this.gate.isHeldByCurrentThread();
    }

    /** Call the listeners in order, then publish for plain listeners; only with the gate held. */
    private void callListeners(EventFdChannelEvent event, List<ListenerInvoker> running) {
        boolean resync = event instanceof EventFdResyncEvent;
        for (ListenerInvoker listener : running) {
            if (!resync || listener.receivesResyncs()) {
                this.inFlight = new InFlight(event, listener.name(), System.nanoTime());
                listener.invoke(event);
            }
        }
        this.inFlight = new InFlight(event, "plain @EventListener methods", System.nanoTime());
        publish(event);
    }

    private void publish(EventFdChannelEvent event) {
        try {
            this.publisher.publishEvent(event);
        }
        catch (RuntimeException | Error ex) {
            if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
                throw ex;
            }
            this.deliveryErrors.increment();
            logger.error("A plain listener of eventfd channel '" + channel() + "' failed on " + event
                    + "; delivery goes on", ex);
        }
    }

    /**
     * Add {@code count} back to what this process reads, after {@code delay}: a listener's error handler asked
     * for it. Not counted as sent: nothing new was signalled.
     */
    void redeliver(long count, Duration delay) {
        later(() -> {
            try {
                SharedChannels.addBack(this.counter, count);
            }
            catch (RuntimeException ex) {
                logger.error("Lost a redelivery of " + Long.toUnsignedString(count) + " on eventfd channel '"
                        + channel() + "': " + ex.getMessage(), ex);
            }
        }, delay);
    }

    /** Run the channel's resync again after {@code delay}, with the reason of the one that failed. */
    void resyncAgain(EventFdChannelEvent failed, Duration delay) {
        String reason = (failed instanceof EventFdResyncEvent resync) ? resync.getReason() : "redelivery";
        later(() -> this.hooks.resync(reason), delay);
    }

    private void later(Runnable action, Duration delay) {
        Redeliveries current = this.redeliveries;
        if (current != null) {
            current.schedule(action, delay);
        }
        else {
            action.run();
        }
    }

    void redeliverWith(Redeliveries redeliveries) {
        this.redeliveries = redeliveries;
    }

    /**
     * What this channel is delivering now.
     * @return the event and the listener running it, or {@code null} when no delivery runs
     */
    @Nullable InFlight inFlight() {
        return this.inFlight;
    }

    /**
     * Deliver what is left in the counter on the calling thread, until it is empty or the time is up.
     * @return the count left undelivered
     */
    long drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            long count;
            while ((count = this.counter.tryRead()) != 0) {
                if (!deliver(count) || System.nanoTime() - deadline > 0) {
                    break;
                }
            }
            return this.counter.pendingCount();
        }
        catch (IllegalStateException ex) {
            return 0;
        }
    }

    EventCounter counter() {
        return this.counter;
    }

    ChannelHooks hooks() {
        return this.hooks;
    }

    /**
     * Whether a signal is delivered on the signalling thread before {@code signal()} returns (an in-memory
     * channel of {@link EventFdChannelFactory#synchronous}).
     */
    boolean deliversOnSignallingThread() {
        return this.synchronous;
    }

    /**
     * Add a listener, which the channel calls itself, in {@link ChannelListener#order()} (listeners of equal
     * order in the order they were added).
     * @param listener the listener
     * @param settings its interceptors, error handler and auto-startup
     * @throws IllegalStateException if the channel already has a listener of that name
     */
    protected final synchronized void listenerAdded(ChannelListener listener, ListenerSettings settings) {
        ListenerInvoker invoker = new ListenerInvoker(this, listener, settings);
        int index = 0;
        for (ListenerInvoker existing : this.listeners) {
            if (existing.name().equals(listener.name())) {
                throw new IllegalStateException("eventfd channel '" + channel() + "' already has a listener named '"
                        + listener.name() + "'; give one an id: @EventFdListener(id = \"...\")");
            }
            if (existing.listener().order() <= listener.order()) {
                index++;
            }
        }
        this.listeners.add(index, invoker);
        readingChanged();
    }

    /**
     * Stop reading the counter in this process: what is signalled from now on stays in the counter (for a shared
     * queue, other processes take it) until {@link #resume()}, which delivers its sum in one delivery. A delivery
     * already read when this is called still ends. Every listener of the channel in this process waits, plain
     * {@code @EventListener} methods included.
     */
    public void pause() {
        this.paused = true;
        readingChanged();
    }

    /**
     * Read the counter again after {@link #pause()}: what it holds is delivered, in one delivery.
     */
    public void resume() {
        this.paused = false;
        readingChanged();
    }

    /**
     * Whether the channel is paused.
     * @return {@code true} between {@link #pause()} and {@link #resume()}
     */
    public boolean isPaused() {
        return this.paused;
    }

    /**
     * Whether this process reads the counter now: not paused, and with a running listener, or with none (plain
     * {@code @EventListener} methods only) where the channel is not a shared queue, whose units are then left to
     * the processes that have a listener.
     */
    boolean isReading() {
        if (this.paused) {
            return false;
        }
        if (this.listeners.isEmpty()) {
            return !SharedChannels.isSharedQueue(this.counter);
        }
        for (ListenerInvoker listener : this.listeners) {
            if (listener.isRunning()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Start or stop calling a listener; a channel whose listeners are all stopped stops reading its counter.
     * @param listener the listener's name
     * @param running whether to call it
     * @return {@code false} if the channel has no listener of that name
     */
    protected final boolean listenerRunning(String listener, boolean running) {
        ListenerInvoker invoker = invoker(listener);
        if (invoker == null) {
            return false;
        }
        invoker.setRunning(running);
        readingChanged();
        return true;
    }

    /**
     * Whether a listener is called.
     * @param listener the listener's name
     * @return whether it runs, or {@code null} if the channel has no listener of that name
     */
    protected final @Nullable Boolean isListenerRunning(String listener) {
        ListenerInvoker invoker = invoker(listener);
        return (invoker != null) ? invoker.isRunning() : null;
    }

    private @Nullable ListenerInvoker invoker(String name) {
        for (ListenerInvoker invoker : this.listeners) {
            if (invoker.name().equals(name)) {
                return invoker;
            }
        }
        return null;
    }

    /**
     * Close the counter and its descriptor; signals fail from then on.
     */
    protected final void closeCounter() {
        this.counter.close();
    }

    /**
     * The settings of this channel.
     * @return the definition
     */
    public ChannelDefinition definition() {
        return this.definition;
    }

    /**
     * The read mode.
     * @return the mode
     */
    public EventFdMode mode() {
        return this.definition.mode();
    }

    /**
     * Where the listeners run.
     * @return the dispatch
     */
    public Dispatch dispatch() {
        return this.definition.dispatch();
    }

    /**
     * What backs this channel.
     * @return eventfd or in-memory
     */
    public CounterImplementation implementation() {
        return (this.counter instanceof InMemoryEventCounter) ? CounterImplementation.IN_MEMORY
                : CounterImplementation.EVENTFD;
    }

    /**
     * The eventfd descriptor number this process reads, for diagnostics.
     * @return the number, or -1 for an in-memory channel
     */
    public int descriptorNumber() {
        EventFd local = SharedChannels.readableEventFd(this.counter);
        return (local != null) ? local.descriptorNumber() : -1;
    }

    /**
     * The sharing of this channel with other processes, once it serves or is attached: from the start of the
     * application context on.
     * @return the shared channel, or empty for a channel of this process only or before the context started
     */
    public Optional<SharedChannel> sharing() {
        return Optional.ofNullable(SharedChannels.shared(this.counter));
    }

    /**
     * Whether this channel is shared with other processes, from its creation on (it serves or attaches when the
     * application context starts).
     * @return {@code true} for a shared channel
     */
    public boolean isShared() {
        return SharedChannels.isShared(this.counter);
    }

    /**
     * Serve or attach, if the channel is shared and not yet open; waits for a server up to the channel's attach
     * timeout.
     * @throws ChannelSharingException if it can neither serve nor attach
     */
    void openSharing() {
        SharedChannels.open(this.counter);
    }

    /**
     * Peers or messages refused on this channel's sharing socket, by reason.
     * @param reason the reason
     * @return how many
     */
    public long shareErrorCount(ShareErrorReason reason) {
        LongAdder count = this.shareErrors.get(reason);
        return (count != null) ? count.sum() : 0;
    }

    /**
     * Whether the channel is closed (its application context was closed).
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return this.counter.isClosed();
    }

    /**
     * Sum of the values signalled through this notifier, as an unsigned 64-bit value that wraps at 2^64 (see
     * {@link io.github.eventfd.UnsignedCount}).
     * @return the unsigned sum
     */
    public long sentCount() {
        return this.sent.sum();
    }

    /**
     * Sum of the values read and delivered, as an unsigned 64-bit value that wraps at 2^64: one delivery alone
     * can carry up to 0xfffffffffffffffe.
     * @return the unsigned sum
     */
    public long receivedCount() {
        return this.received.sum();
    }

    /**
     * Number of deliveries (reads that returned a value).
     * @return the number
     */
    public long wakeupCount() {
        return this.wakeups.sum();
    }

    /**
     * Number of deliveries a plain listener aborted with an exception.
     * @return the number
     */
    public long deliveryErrorCount() {
        return this.deliveryErrors.sum();
    }

    /**
     * Number of sums signalled inside transactions that committed and could not be written after the commit
     * (the channel was closed, or the counter was full); each is logged.
     * @return the number
     */
    public long failedSignalCount() {
        return this.failedSignals.sum();
    }

    /**
     * When a signal made inside a Spring-managed transaction rings.
     * @return the timing
     */
    public SignalTiming signalTiming() {
        return this.definition.signalTiming();
    }

    /**
     * Remove a listener added by {@link #listenerAdded}; the channel no longer calls it once a delivery
     * running now has ended.
     * @param listener the listener, as added
     */
    protected final synchronized void listenerRemoved(ChannelListener listener) {
        if (this.listeners.removeIf(invoker -> invoker.listener() == listener)) {
            readingChanged();
        }
    }

    /**
     * The {@code @EventFdListener} methods of this channel.
     * @return their names, {@code SimpleClassName.method}
     */
    public List<String> listeners() {
        return this.listeners.stream().map(ListenerInvoker::name).toList();
    }

    /**
     * A delivery or resync running now.
     *
     * @param event what is delivered
     * @param listener the listener running it
     * @param since when that listener was called ({@link System#nanoTime()})
     */
    record InFlight(EventFdChannelEvent event, String listener, long since) {
    }

    @Override
    public String toString() {
        return "EventFdChannel(" + channel() + ", " + mode() + ", " + dispatch() + ", " + this.counter + ")";
    }
}
