package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.share.ShareErrorReason;
import io.github.eventfd.share.SharedChannel;
import io.github.eventfd.spring.EventFdSignalEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The state of one channel: its counter, its statistics and the publication of its deliveries. Its only
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

    private final List<String> listeners = new CopyOnWriteArrayList<>();

    private final Map<ShareErrorReason, LongAdder> shareErrors;

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
    }

    /**
     * The channel name.
     * @return the name, as under {@code eventfd.channels.<name>}
     */
    public String channel() {
        return this.definition.name();
    }

    /**
     * Add 1 to the channel's counter.
     * @throws io.github.eventfd.CounterOverflowException if the counter is at its maximum; nothing is added
     * @throws IllegalStateException if the channel is closed
     */
    public void signal() {
        try {
            this.counter.signal();
        }
        catch (IllegalStateException ex) {
            throw closed(ex);
        }
        this.sent.increment();
    }

    /**
     * Add {@code n} to the channel's counter.
     * @param n 1 to {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if {@code n} is 0 or negative
     * @throws io.github.eventfd.CounterOverflowException if the counter would pass its maximum; nothing is added
     * @throws IllegalStateException if the channel is closed
     */
    public void signal(long n) {
        try {
            this.counter.signal(n);
        }
        catch (IllegalStateException ex) {
            throw closed(ex);
        }
        this.sent.add(n);
    }

    private IllegalStateException closed(IllegalStateException cause) {
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
     * Publish one delivery of {@code count} as an {@link EventFdSignalEvent}. A failure that escapes the
     * listeners (only plain {@code @EventListener} methods let one escape) is logged and counted.
     */
    void deliver(long count) {
        this.received.add(count);
        this.wakeups.increment();
        try {
            this.publisher.publishEvent(new EventFdSignalEvent(this, channel(), count));
        }
        catch (RuntimeException | Error ex) {
            if (ex instanceof VirtualMachineError) {
                throw ex;
            }
            this.deliveryErrors.increment();
            logger.error("A listener of eventfd channel '" + channel() + "' failed on a delivery of "
                    + Long.toUnsignedString(count) + "; delivery goes on", ex);
        }
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
                deliver(count);
                if (System.nanoTime() - deadline > 0) {
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
     * Record a listener method of this channel.
     * @param listener its name, {@code SimpleClassName.method}
     */
    protected final void listenerAdded(String listener) {
        this.listeners.add(listener);
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
     * The {@code @EventFdListener} methods of this channel.
     * @return their names, {@code SimpleClassName.method}
     */
    public List<String> listeners() {
        return List.copyOf(this.listeners);
    }

    @Override
    public String toString() {
        return "EventFdChannel(" + channel() + ", " + mode() + ", " + dispatch() + ", " + this.counter + ")";
    }
}
