package io.github.eventfd;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

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
        ShareKind kind = ShareKind.valueOf(args[1]);
        EventFdMode mode = EventFdMode.valueOf(args[2]);
        ShareRole role = ShareRole.valueOf(args[3]);
        boolean consume = Boolean.parseBoolean(args[4]);
        Set<Integer> uids = Arrays.stream(args[6].split(",")).map(Integer::valueOf).collect(Collectors.toSet());
        ShareOptions options = new ShareOptions("chan", Path.of(args[0]), kind, mode, 0, role,
                PosixFilePermissions.fromString(args[5]), uids, consume, Duration.ofMillis(50));
        AtomicLong consumed = new AtomicLong();
        AtomicLong resyncs = new AtomicLong();
        AtomicReference<PollerRegistration> registration = new AtomicReference<>();
        EventFdPoller poller = EventFdPoller.start();
        SignalCallback callback = (fd, count) -> consumed.addAndGet(count);
        SharedChannel channel;
        try {
            channel = SharedChannel.open(options, new ShareListener() {
                @Override
                public void resync(String reason) {
                    resyncs.incrementAndGet();
                }

                @Override
                public void eventFdReplaced(EventFd current) {
                    PollerRegistration old = registration.getAndSet(poller.register(current, callback));
                    if (old != null) {
                        old.close();
                    }
                }
            }, Duration.ofMillis(Long.parseLong(args[7])));
        }
        catch (RuntimeException ex) {
            System.out.println("failed " + ex.getMessage());
            System.exit(3);
            return;
        }
        if (consume) {
            registration.set(poller.register(channel.localEventFd(), callback));
        }
        System.out.println("ready state=" + channel.state());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "signal" -> {
                    long n = Long.parseLong(words[1]);
                    for (long i = 0; i < n; i++) {
                        channel.signal();
                    }
                    System.out.println("signalled " + n);
                }
                case "report" -> System.out.println(report(channel, consumed, resyncs));
                case "stop" -> {
                    PollerRegistration current = registration.get();
                    if (current != null) {
                        current.close();
                    }
                    System.out.println(report(channel, consumed, resyncs));
                    channel.close();
                    poller.close();
                    System.exit(0);
                }
                default -> System.out.println("unknown " + line);
            }
        }
    }

    private static String report(SharedChannel channel, AtomicLong consumed, AtomicLong resyncs) {
        return "report consumed=" + consumed.get() + " pending=" + channel.pendingCount() + " state=" + channel.state()
                + " peers=" + channel.peers().size() + " resyncs=" + resyncs.get();
    }
}
