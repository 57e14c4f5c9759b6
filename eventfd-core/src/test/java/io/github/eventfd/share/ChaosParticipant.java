package io.github.eventfd.share;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdPoller;

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
        SharedChannel queue = SharedChannel.open(options("queue", queueSocket, ShareKind.QUEUE, EventFdMode.SEMAPHORE));
        SharedChannel broadcast = SharedChannel.open(options("broadcast", broadcastSocket, ShareKind.BROADCAST,
                EventFdMode.COUNTER));
        queue.register(poller, (fd, count) -> write(log, "cq " + count));
        broadcast.register(poller, (fd, count) -> {
            broadcastReceived.addAndGet(count);
            write(log, "cb " + count);
        });
        Thread producer = new Thread(() -> {
            long ticks = 0;
            while (!Thread.currentThread().isInterrupted()) {
                write(log, "sq 1");
                try {
                    queue.signal();
                    if (++ticks % 10 == 0) {
                        write(log, "sb 1");
                        broadcast.signal();
                    }
                }
                catch (RuntimeException ex) {
                    // a signal must never fail because a server was killed or replaced: the test counts these
                    write(log, "xs 1");
                    ex.printStackTrace();
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
        CommandLoop.run(Map.of(
                "quiet", words -> {
                    producer.interrupt();
                    try {
                        producer.join();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    return "quiet";
                },
                "burst", words -> {
                    for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                        broadcast.signal();
                    }
                    return "burst-done";
                },
                "report", words -> "report pendingQueue=" + queue.pendingCount() + " broadcastReceived="
                        + broadcastReceived.get() + " queueState=" + queue.state() + " broadcastState=" + broadcast.state(),
                "stop", words -> "stopped"));
    }

    private static ShareOptions options(String name, Path socket, ShareKind kind, EventFdMode mode) {
        return ShareOptions.builder(name, socket).kind(kind).mode(mode).reconnectInterval(Duration.ofMillis(20))
                .attachTimeout(Duration.ofSeconds(20)).build();
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
