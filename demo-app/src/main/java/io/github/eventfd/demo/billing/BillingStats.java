package io.github.eventfd.demo.billing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * What the billing role has handled, per channel.
 */
@Component
@Profile("!orders")
class BillingStats {

    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();

    private final Map<String, AtomicLong> resyncs = new ConcurrentHashMap<>();

    void received(String channel, long count) {
        this.received.computeIfAbsent(channel, name -> new AtomicLong()).addAndGet(count);
    }

    void resynced(String channel) {
        this.resyncs.computeIfAbsent(channel, name -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Object> snapshot() {
        return Map.of("received", copy(this.received), "resyncs", copy(this.resyncs));
    }

    private static Map<String, Long> copy(Map<String, AtomicLong> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((channel, count) -> copy.put(channel, count.get()));
        return copy;
    }
}
