package io.github.eventfd.share;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventCounterContractTests;
import io.github.eventfd.EventFdMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared channel keeps the {@link EventCounter} contract of every counter, in both kinds: here each
 * channel serves alone, so its signals reach its own reader at once.
 */
@EnabledOnOs(OS.LINUX)
class SharedChannelContractTests {

    @TempDir
    Path directory;

    private final List<SharedChannel> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        this.opened.forEach(SharedChannel::close);
    }

    SharedChannel open(ShareKind kind, EventFdMode mode, long initialValue) {
        ShareOptions options = ShareOptions.builder("contract", this.directory.resolve(this.opened.size() + ".sock"))
                .kind(kind).mode(mode).initialValue(initialValue).role(ShareRole.OWNER).build();
        SharedChannel channel = SharedChannel.open(options);
        this.opened.add(channel);
        return channel;
    }

    /** Application threads blocked in poll(2) inside a read; the channels' own threads are not readers. */
    static long blockedReaders() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> !entry.getKey().getName().startsWith("eventfd-share-"))
                .filter(entry -> Arrays.stream(entry.getValue()).anyMatch(frame -> frame.getMethodName().equals("pollIn")
                        && frame.getClassName().equals("io.github.eventfd.internal.Posix")))
                .count();
    }

    @Nested
    class Queue extends EventCounterContractTests {

        @Override
        protected EventCounter create(EventFdMode mode, long initialValue) {
            return open(ShareKind.QUEUE, mode, initialValue);
        }

        @Override
        protected long blockedReaders() {
            return SharedChannelContractTests.blockedReaders();
        }
    }

    @Nested
    class Broadcast extends EventCounterContractTests {

        @Override
        protected EventCounter create(EventFdMode mode, long initialValue) {
            return open(ShareKind.BROADCAST, mode, initialValue);
        }

        @Override
        protected long blockedReaders() {
            return SharedChannelContractTests.blockedReaders();
        }
    }
}
