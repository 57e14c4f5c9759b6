package io.github.eventfd.spring.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * One channel as a bridge sees it, whatever the engine: where its outgoing signals add up, whether this process
 * bridges it now, and how an incoming count reaches the local channel without being bridged again.
 *
 * <p>Incoming messages pass {@link #receive}: a message of this host is dropped (no echo), as is one this
 * process does not bridge now (another process of the host serves the shared channel) and one already
 * received (a message sent again after a timeout whose first copy arrived: sequences grow per sender). What is
 * left is signalled into the local counter directly, never through the channel's {@code signal()}, so it is
 * never sent back out.
 */
public final class BridgedChannel {

    /** Senders whose last sequence is remembered; the oldest is forgotten past this. */
    static final int MAX_SENDERS = 4096;

    private final String name;

    private final BridgeMode mode;

    private final String host;

    private final OutgoingSignals outgoing;

    private final BooleanSupplier bridgesHere;

    private final LongConsumer deliver;

    private final Consumer<String> resync;

    private final LongSupplier pending;

    private final BooleanSupplier consumers;

    private final LongAdder sent = new LongAdder();

    private final LongAdder received = new LongAdder();

    private final Map<String, Long> lastSequences = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_SENDERS;
        }
    };

    /**
     * Create the view of one channel.
     * @param name the channel name
     * @param mode broadcast or queue
     * @param host the id of this host: messages with it are this host's own
     * @param outgoing where the channel's signals add up
     * @param bridgesHere whether this process bridges the channel now (it serves it, or it is not shared)
     * @param deliver signals a count into the local counter, not bridged again; may throw
     * {@link io.github.eventfd.CounterOverflowException}
     * @param resync tells the channel's listeners that signals may have been missed
     * @param pending the count in the local counter not yet consumed (of the whole host for a shared channel)
     * @param consumers whether anything on this host consumes the channel: units claimed by a host that does not
     * would never be delivered
     */
    public BridgedChannel(String name, BridgeMode mode, String host, OutgoingSignals outgoing,
            BooleanSupplier bridgesHere, LongConsumer deliver, Consumer<String> resync, LongSupplier pending,
            BooleanSupplier consumers) {
        this.name = Objects.requireNonNull(name, "'name' must not be null");
        this.mode = Objects.requireNonNull(mode, "'mode' must not be null");
        if (!BridgeMessage.isValidId(host)) {
            throw new IllegalArgumentException("'host' must be 1 to " + BridgeMessage.MAX_ID_LENGTH
                    + " letters, digits and . _ : / @ - but was '" + host + "'");
        }
        this.host = host;
        this.outgoing = Objects.requireNonNull(outgoing, "'outgoing' must not be null");
        this.bridgesHere = Objects.requireNonNull(bridgesHere, "'bridgesHere' must not be null");
        this.deliver = Objects.requireNonNull(deliver, "'deliver' must not be null");
        this.resync = Objects.requireNonNull(resync, "'resync' must not be null");
        this.pending = Objects.requireNonNull(pending, "'pending' must not be null");
        this.consumers = Objects.requireNonNull(consumers, "'consumers' must not be null");
    }

    /**
     * The channel name.
     * @return the name
     */
    public String name() {
        return this.name;
    }

    /**
     * How the channel is distributed across hosts.
     * @return broadcast or queue
     */
    public BridgeMode mode() {
        return this.mode;
    }

    /**
     * The id of this host.
     * @return the id
     */
    public String host() {
        return this.host;
    }

    /**
     * Where the channel's outgoing signals add up.
     * @return the counter
     */
    public OutgoingSignals outgoing() {
        return this.outgoing;
    }

    /**
     * Whether this process bridges incoming counts of the channel now.
     * @return {@code true} if it serves the shared channel, or the channel is not shared
     */
    public boolean bridgesHere() {
        return this.bridgesHere.getAsBoolean();
    }

    /**
     * Record a count the engine accepted.
     * @param count the unsigned count sent
     */
    public void sent(long count) {
        this.sent.add(count);
    }

    /**
     * Take an incoming message: drop it if it is this host's own, if this process does not bridge the channel now
     * or if it was received before; otherwise signal its count into the local channel.
     * @param message a valid message
     * @param errors where a count the local counter cannot take is counted
     * @return {@code true} if the count was delivered
     */
    public boolean receive(BridgeMessage message, BridgeErrors errors) {
        if (message.host().equals(this.host) || !bridgesHere()) {
            return false;
        }
        synchronized (this.lastSequences) {
            Long last = this.lastSequences.get(message.sender());
            if (last != null && message.sequence() <= last) {
                return false;
            }
            this.lastSequences.put(message.sender(), message.sequence());
        }
        try {
            this.deliver.accept(message.count());
        }
        catch (RuntimeException ex) {
            errors.increment(BridgeErrorReason.OVERFLOW);
            return false;
        }
        this.received.add(message.count());
        return true;
    }

    /**
     * Signal a count claimed for this host into the local channel, not bridged again.
     * @param count the unsigned count
     * @throws io.github.eventfd.CounterOverflowException if the local counter cannot take it; nothing was added
     */
    public void deliverClaimed(long count) {
        this.deliver.accept(count);
        this.received.add(count);
    }

    /**
     * Signal a count of this process's own into the local channel, not bridged: a queue's signals while the engine
     * is unreachable.
     * @param count the unsigned count
     * @throws io.github.eventfd.CounterOverflowException if the local counter cannot take it; nothing was added
     */
    public void deliverLocally(long count) {
        this.deliver.accept(count);
    }

    /**
     * The count in the local counter that local consumers have not taken yet: a queue claims from the engine
     * only when it is 0.
     * @return the unsigned count
     */
    public long localPending() {
        return this.pending.getAsLong();
    }

    /**
     * Whether anything on this host consumes the channel now; a queue claims from the engine only then.
     * @return {@code true} if this process has listeners, or other processes of the host are attached to the
     * shared channel it serves
     */
    public boolean hasLocalConsumers() {
        return this.consumers.getAsBoolean();
    }

    /**
     * Tell the channel's listeners that counts may have been missed.
     * @param reason what happened, for logs
     */
    public void resync(String reason) {
        this.resync.accept(reason);
    }

    /**
     * Sum of the counts the engine accepted from this process.
     * @return the unsigned sum
     */
    public long sentCount() {
        return this.sent.sum();
    }

    /**
     * Sum of the counts received from other hosts and delivered here.
     * @return the unsigned sum
     */
    public long receivedCount() {
        return this.received.sum();
    }

    @Override
    public String toString() {
        return "BridgedChannel(" + this.name + ", " + this.mode + ", host " + this.host + ")";
    }
}
