package io.github.eventfd.spring.bridge.redis;

import java.nio.charset.StandardCharsets;

import io.github.eventfd.spring.bridge.BridgeMessage;
import io.github.eventfd.spring.bridge.BridgedChannel;
import org.jspecify.annotations.Nullable;

/**
 * A broadcast: what added up is published on the channel's topic; every other host delivers it. A message whose
 * PUBLISH failed is published again unchanged (same sequence) before anything new.
 */
final class BroadcastCarrier implements Carrier {

    private final BridgedChannel channel;

    private final String topic;

    private final byte[] topicBytes;

    private final String sender;

    private long sequence;

    /** Written on the bridge's thread; volatile for {@link #unsent()} read by a stop. */
    private volatile @Nullable BridgeMessage unacknowledged;

    BroadcastCarrier(BridgedChannel channel, String topic, String sender) {
        this.channel = channel;
        this.topic = topic;
        this.topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        this.sender = sender;
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
        BridgeMessage message = this.unacknowledged;
        if (message == null) {
            long count = this.channel.outgoing().drain();
            if (count == 0) {
                return false;
            }
            message = new BridgeMessage(this.channel.host(), this.sender, ++this.sequence, count);
            this.unacknowledged = message;
        }
        byte[] body = message.encode();
        try {
            bridge.execute(connection -> connection.publish(this.topicBytes, body));
        }
        catch (RuntimeException ex) {
            return false;
        }
        this.unacknowledged = null;
        this.channel.sent(message.count());
        return true;
    }

    @Override
    public void flushLocally() {
    }

    @Override
    public void claim(RedisBridge bridge) {
    }

    @Override
    public boolean polls() {
        return false;
    }

    @Override
    public void received(BridgeMessage message, RedisBridge bridge) {
        this.channel.receive(message, bridge.errors());
    }

    @Override
    public long unsent() {
        BridgeMessage message = this.unacknowledged;
        return ((message != null) ? message.count() : 0) + this.channel.outgoing().pending();
    }

    @Override
    public long backlog() {
        return 0;
    }
}
