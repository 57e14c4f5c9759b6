package io.github.eventfd;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One of the processes of the chaos test. It shares a queue channel (semaphore mode) and a broadcast
 * channel, signals both at a steady rate, consumes both, and writes every unit to its own log before it is
 * signalled and after it is consumed, so the test can account for every unit even across SIGKILL.
 * Commands on standard input: {@code quiet}, {@code burst N}, {@code report}, {@code stop}.
 */
public final class ChaosParticipant {

    private ChaosParticipant() {
    }

    public static void main(String[] args) throws Exception {
        Path queueSocket = Path.of(args[0]);
        Path broadcastSocket = Path.of(args[1]);
        FileOutputStream log = new FileOutputStream(args[2], true);
        AtomicLong broadcastReceived = new AtomicLong();
        EventFdPoller poller = EventFdPoller.start();
        AtomicReference<PollerRegistration> queueRegistration = new AtomicReference<>();
        SignalCallback queueCallback = (fd, count) -> write(log, "cq " + count);
        SharedChannel queue = SharedChannel.open(options("queue", queueSocket, ShareKind.QUEUE, EventFdMode.SEMAPHORE),
                new ShareListener() {
                    @Override
                    public void eventFdReplaced(EventFd current) {
                        PollerRegistration old = queueRegistration.getAndSet(poller.register(current, queueCallback));
                        if (old != null) {
                            old.close();
                        }
                    }
                }, Duration.ofSeconds(20));
        SharedChannel broadcast = SharedChannel.open(options("broadcast", broadcastSocket, ShareKind.BROADCAST,
                EventFdMode.COUNTER), ShareListener.NONE, Duration.ofSeconds(20));
        queueRegistration.compareAndSet(null, poller.register(queue.localEventFd(), queueCallback));
        poller.register(broadcast.localEventFd(), (fd, count) -> {
            broadcastReceived.addAndGet(count);
            write(log, "cb " + count);
        });
        Thread producer = new Thread(() -> {
            long ticks = 0;
            while (!Thread.currentThread().isInterrupted()) {
                write(log, "sq 1");
                queue.signal();
                if (++ticks % 10 == 0) {
                    write(log, "sb 1");
                    broadcast.signal();
                }
                try {
                    Thread.sleep(4);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "chaos-producer");
        producer.start();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "quiet" -> {
                    producer.interrupt();
                    producer.join();
                    System.out.println("quiet");
                }
                case "burst" -> {
                    for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                        broadcast.signal();
                    }
                    System.out.println("burst-done");
                }
                case "report" -> System.out.println("report pendingQueue=" + queue.pendingCount() + " broadcastReceived="
                        + broadcastReceived.get() + " queueState=" + queue.state() + " broadcastState=" + broadcast.state());
                case "stop" -> {
                    System.exit(0);
                }
                default -> System.out.println("unknown " + line);
            }
        }
    }

    private static ShareOptions options(String name, Path socket, ShareKind kind, EventFdMode mode) {
        return new ShareOptions(name, socket, kind, mode, 0, ShareRole.AUTO, PosixFilePermissions.fromString("rw-------"),
                Set.of(SharedChannel.currentUid()), true, Duration.ofMillis(20));
    }

    private static synchronized void write(FileOutputStream log, String line) {
        try {
            log.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
