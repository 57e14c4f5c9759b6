package io.github.eventfd.share;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ShareListener} that records what it is told, for the sharing tests to assert. */
final class RecordingShareListener implements ShareListener {

    private final Map<ShareErrorReason, AtomicLong> refusals = new ConcurrentHashMap<>();

    private final List<String> resyncs = new CopyOnWriteArrayList<>();

    @Override
    public void resync(String reason) {
        this.resyncs.add(reason);
    }

    @Override
    public void refused(ShareErrorReason reason, String detail) {
        this.refusals.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    /** How many refusals for {@code reason} were reported. */
    long refusals(ShareErrorReason reason) {
        AtomicLong count = this.refusals.get(reason);
        return (count != null) ? count.get() : 0;
    }

    /** The reasons of the resyncs reported, in order. */
    List<String> resyncs() {
        return this.resyncs;
    }
}
