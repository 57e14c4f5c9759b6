package io.github.eventfd.spring.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.eventfd.spring.bridge.BridgeMessage;
import io.github.eventfd.spring.bridge.BridgeState;
import io.github.eventfd.spring.bridge.BridgedChannel;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReturnType;

/**
 * A queue: units wait in one Redis key per channel until a host claims them. The channel's signals do not go to
 * its local counter; what added up is added to the key by a script that also publishes a notice on the channel's
 * topic, and that counts each message (sender, sequence) once, so a message sent again after a timeout is not
 * added twice. A host claims, with a script that takes at most what the key holds, up to the claim batch, only when
 * its local counter is empty (its consumers took everything) and only after a notice, while the last claim left
 * units behind, or once per timeout: one busy host does not hoard while another idles. A host where nothing consumes
 * the channel (a producer only) never claims.
 *
 * <p>While Redis is unreachable, what added up is delivered to the local counter at once (it never reached
 * Redis, so no other host can take it), where the host has consumers; a host without any keeps it for Redis. A
 * message whose script failed is kept for Redis, since Redis may have run it. Claimed units are delivered at once;
 * a host that dies after claiming loses what it claimed and did not deliver, as a local reader that dies after
 * {@code read(2)}. A claim whose command failed is asked again, under the same number, once Redis answers: Redis
 * may have run it, and then answers what it took instead of taking more, so units claimed are not lost when the
 * reply is.
 */
final class QueueCarrier implements Carrier {

    /**
     * KEYS: queue, senders; ARGV: sender, sequence, count, topic, notice. Adds once per (sender, sequence): the
     * sequence is recorded only once the units are added, so a script that fails half-way is run again in full. A
     * key that does not hold a count of units (not written by a bridge: negative, not a number) starts again at 0,
     * so that it cannot swallow the units added.
     */
    static final String ADD = """
            local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') or 0
            if tonumber(ARGV[2]) <= last then return 0 end
            local held = redis.call('GET', KEYS[1])
            if held and not string.match(held, '^%d+$') then redis.call('SET', KEYS[1], '0') end
            redis.call('INCRBY', KEYS[1], ARGV[3])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            redis.call('PUBLISH', ARGV[4], ARGV[5])
            return 1
            """;

    /**
     * KEYS: queue, claims; ARGV: most to take, sender, claim number. Returns {taken, left}; never takes the key
     * below 0, and takes nothing from a key that does not hold a count of units. A claim that took units is
     * recorded under its sender, so the same claim asked again (its reply was lost) answers what it took, and takes
     * nothing more.
     */
    static final String CLAIM = """
            local value = redis.call('GET', KEYS[1])
            local held = 0
            if value and string.match(value, '^%d+$') then held = tonumber(value) end
            local answered = redis.call('HGET', KEYS[2], ARGV[2])
            if answered then
              local number, took = string.match(answered, '^(%d+) (%d+)$')
              if number == ARGV[3] then return {tonumber(took), held} end
            end
            local taken = math.min(held, tonumber(ARGV[1]))
            if taken > 0 then
              redis.call('DECRBY', KEYS[1], taken)
              redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. ' ' .. taken)
            end
            return {taken, held - taken}
            """;

    private final BridgedChannel channel;

    private final String topic;

    private final byte[] topicBytes;

    private final byte[] key;

    private final byte[] sendersKey;

    private final byte[] claimsKey;

    private final String sender;

    private final byte[] claimBatch;

    private long sequence;

    /** Written on the bridge's thread; volatile for {@link #unsent()} read by a stop. */
    private volatile @Nullable BridgeMessage unacknowledged;

    /** A notice came since the last claim. */
    private volatile boolean noticed = true;

    private volatile long backlog;

    private long lastClaim;

    /** The number of the last claim; 1, 2, ... */
    private long claimNumber;

    /** The last claim's command failed: Redis may have run it, so it is asked again, before anything else. */
    private boolean claimUnanswered;

    QueueCarrier(BridgedChannel channel, String topic, String key, String sender, int claimBatch) {
        this.channel = channel;
        this.topic = topic;
        this.topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.sendersKey = (key + ":senders").getBytes(StandardCharsets.UTF_8);
        this.claimsKey = (key + ":claims").getBytes(StandardCharsets.UTF_8);
        this.sender = sender;
        this.claimBatch = Integer.toString(claimBatch).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public BridgedChannel channel() {
        return this.channel;
    }

    @Override
    public String topic() {
        return this.topic;
    }

    @Override
    public boolean flush(RedisBridge bridge) {
        if (bridge.state() == BridgeState.RECONNECTING) {
            // signals made during the outage go to local consumers at once; a message Redis may have taken waits
            deliverLocally();
        }
        BridgeMessage message = this.unacknowledged;
        if (message == null) {
            long count = this.channel.outgoing().drain();
            if (count == 0) {
                return false;
            }
            if (count < 0) {
                // Redis counts are signed: send 2^63 - 1 now, the rest next round
                this.channel.outgoing().add(count - Long.MAX_VALUE);
                count = Long.MAX_VALUE;
            }
            message = new BridgeMessage(this.channel.host(), this.sender, ++this.sequence, count);
            this.unacknowledged = message;
        }
        byte[] notice = message.encode();
        byte[][] keysAndArgs = { this.key, this.sendersKey, this.sender.getBytes(StandardCharsets.UTF_8),
                bytes(message.sequence()), bytes(message.count()), this.topicBytes, notice };
        try {
            bridge.execute(connection -> connection.scriptingCommands().eval(ADD.getBytes(StandardCharsets.UTF_8),
                    ReturnType.INTEGER, 2, keysAndArgs));
        }
        catch (RuntimeException ex) {
            deliverLocally();
            return false;
        }
        this.unacknowledged = null;
        this.channel.sent(message.count());
        return true;
    }

    /**
     * Redis is unreachable: what added up since goes to local consumers, which no other host can reach now. A host
     * without local consumers keeps it for Redis instead: in its own counter, nothing would ever take it.
     */
    private void deliverLocally() {
        if (!this.channel.hasLocalConsumers()) {
            return;
        }
        long count = this.channel.outgoing().drain();
        if (count != 0) {
            try {
                this.channel.deliverLocally(count);
            }
            catch (RuntimeException ex) {
                // the local counter is full or closed: keep the count for Redis
                this.channel.outgoing().add(count);
            }
        }
    }

    @Override
    public void flushLocally() {
        deliverLocally();
    }

    @Override
    public void claim(RedisBridge bridge) {
        long now = System.nanoTime();
        if (this.claimUnanswered) {
            // asked again once per timeout: a claim Redis refused (an error reply) would fail as often as it is asked
            if (now - this.lastClaim <= bridge.timeoutNanos()) {
                return;
            }
        }
        else {
            if (!this.channel.bridgesHere() || this.channel.localPending() != 0
                    || !this.channel.hasLocalConsumers()) {
                return;
            }
            boolean due = this.noticed || this.backlog > 0 || now - this.lastClaim > bridge.timeoutNanos();
            if (!due) {
                return;
            }
            this.claimNumber++;
        }
        this.noticed = false;
        this.lastClaim = now;
        byte[][] keysAndArgs = { this.key, this.claimsKey, this.claimBatch,
                this.sender.getBytes(StandardCharsets.UTF_8), bytes(this.claimNumber) };
        List<?> result;
        try {
            result = bridge.execute(connection -> connection.scriptingCommands().eval(
                    CLAIM.getBytes(StandardCharsets.UTF_8), ReturnType.MULTI, 2, keysAndArgs));
        }
        catch (RuntimeException ex) {
            this.noticed = true;
            this.claimUnanswered = true;
            return;
        }
        this.claimUnanswered = false;
        if (result == null || result.size() != 2) {
            return;
        }
        long taken = ((Number) result.get(0)).longValue();
        this.backlog = ((Number) result.get(1)).longValue();
        if (taken > 0) {
            try {
                this.channel.deliverClaimed(taken);
            }
            catch (RuntimeException ex) {
                // the local counter cannot take them: they go back to Redis as a message of this process
                this.channel.outgoing().add(taken);
            }
        }
    }

    @Override
    public boolean polls() {
        return this.backlog > 0 || (this.noticed && this.channel.bridgesHere() && this.channel.hasLocalConsumers());
    }

    @Override
    public void received(BridgeMessage message, RedisBridge bridge) {
        this.noticed = true;
        bridge.wakeUp();
    }

    @Override
    public long unsent() {
        BridgeMessage message = this.unacknowledged;
        return ((message != null) ? message.count() : 0) + this.channel.outgoing().pending();
    }

    @Override
    public long backlog() {
        return this.backlog;
    }

    private static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }
}
