package io.github.eventfd.share;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.PollerRegistration;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.Posix;

/**
 * A process that takes part in a shared channel, driven line by line on standard input by the
 * multi-process tests: {@code signal N}, {@code report}, {@code stop}. It answers on standard output.
 *
 * <p>Arguments: socket kind mode role consume permissions allowedUids attachTimeoutMillis.
 */
public final class ShareParticipant {

    private ShareParticipant() {
    }

    public static void main(String[] args) throws Exception {
        ShareOptions options = ShareOptions.builder("chan", Path.of(args[0]))
                .kind(ShareKind.valueOf(args[1]))
                .mode(EventFdMode.valueOf(args[2]))
                .role(ShareRole.valueOf(args[3]))
                .consume(Boolean.parseBoolean(args[4]))
                .socketPermissions(PosixFilePermissions.fromString(args[5]))
                .allowedUids(Arrays.stream(args[6].split(",")).map(Integer::valueOf).collect(Collectors.toSet()))
                .reconnectInterval(Duration.ofMillis(50))
                .attachTimeout(Duration.ofMillis(Long.parseLong(args[7])))
                .build();
        AtomicLong consumed = new AtomicLong();
        AtomicLong resyncs = new AtomicLong();
        EventFdPoller poller = EventFdPoller.start();
        SharedChannel channel;
        try {
            channel = SharedChannel.open(options, new ShareListener() {
                @Override
                public void resync(String reason) {
                    resyncs.incrementAndGet();
                }
            });
        }
        catch (RuntimeException ex) {
            System.out.println("failed " + ex.getMessage());
            System.exit(3);
            return;
        }
        PollerRegistration registration = options.consume()
                ? channel.register(poller, (fd, count) -> consumed.addAndGet(count)) : null;
        System.out.println("ready state=" + channel.state());
        CommandLoop.run(Map.of(
                "signal", words -> {
                    long n = Long.parseLong(words[1]);
                    for (long i = 0; i < n; i++) {
                        channel.signal();
                    }
                    return "signalled " + n;
                },
                "report", words -> report(channel, consumed, resyncs),
                "close-twice", words -> "closed-twice " + closeTwice(),
                "stop", words -> {
                    if (registration != null) {
                        registration.close();
                    }
                    String report = report(channel, consumed, resyncs);
                    channel.close();
                    poller.close();
                    return report;
                }));
    }

    /**
     * Close one descriptor number twice on purpose, for a test that records failed closes: the second fails
     * with {@code EBADF}. The number is far above those in use, so that nothing takes it in between.
     */
    private static int closeTwice() {
        int fd = Posix.eventfd(0, false);
        int high = LibC.fcntl(fd, Linux.F_DUPFD_CLOEXEC, 900);
        LibC.close(fd);
        LibC.close(high);
        LibC.close(high);
        return high;
    }

    private static String report(SharedChannel channel, AtomicLong consumed, AtomicLong resyncs) {
        return "report consumed=" + consumed.get() + " pending=" + channel.pendingCount() + " state=" + channel.state()
                + " peers=" + channel.peers().size() + " resyncs=" + resyncs.get();
    }
}
