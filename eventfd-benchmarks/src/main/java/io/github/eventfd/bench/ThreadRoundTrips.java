package io.github.eventfd.bench;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;

/**
 * Thread-to-thread round trips: this library's handles and the JVM's usual alternatives. The echo side of
 * each pins itself where the {@link Placement} says (on its first answer) and samples its CPU as it goes.
 */
final class ThreadRoundTrips {

    private ThreadRoundTrips() {
    }

    /** An echo thread that runs until interrupted or until its handles close. */
    private static Thread echo(String name, Runnable loop) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            }
            catch (IllegalStateException ex) {
                // closed: the benchmark is over
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Blocking {@link EventFd#read()} on both sides. */
    static RoundTrip eventFdBlocking(Placement placement) {
        EventFd ping = EventFd.create();
        EventFd pong = EventFd.create();
        echo("echo-eventfd", () -> {
            for (;;) {
                ping.read();
                pong.signal();
                placement.tick();
            }
        });
        return RoundTrip.overCounters(ping, pong, () -> { });
    }

    /** The echo side is an {@link EventFdPoller} callback on the poller thread. */
    static RoundTrip poller(Placement placement) {
        return poller(placement, 0);
    }

    /**
     * The echo side is an {@link EventFdPoller} callback, with {@code idle} more eventfds registered with
     * the poller and never signalled.
     */
    static RoundTrip poller(Placement placement, int idle) {
        EventFd ping = EventFd.create();
        EventFd pong = EventFd.create();
        EventFdPoller poller = EventFdPoller.builder().threadName("bench-poller").start();
        EventFd[] idlers = new EventFd[idle];
        for (int i = 0; i < idle; i++) {
            idlers[i] = EventFd.create();
            poller.register(idlers[i], (fd, count) -> { });
        }
        poller.register(ping, (fd, count) -> {
            pong.signal();
            placement.tick();
        });
        return RoundTrip.overCounters(ping, pong, () -> {
            poller.close();
            for (EventFd idler : idlers) {
                idler.close();
            }
        });
    }

    /** {@link LockSupport#park()} and {@code unpark} with a volatile flag each way. */
    static RoundTrip parkUnpark(Placement placement) {
        Thread main = Thread.currentThread();
        Flags flags = new Flags();
        Thread echo = echo("echo-park", () -> {
            while (!Thread.currentThread().isInterrupted()) {
                while (!flags.ping) {
                    LockSupport.park();
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
                flags.ping = false;
                flags.pong = true;
                LockSupport.unpark(main);
                placement.tick();
            }
        });
        return new RoundTrip() {
            @Override
            public void roundTrip() {
                flags.ping = true;
                LockSupport.unpark(echo);
                while (!flags.pong) {
                    LockSupport.park();
                }
                flags.pong = false;
            }

            @Override
            public void close() {
                echo.interrupt();
            }
        };
    }

    /** Flags of the park/unpark round trip. */
    private static final class Flags {

        volatile boolean ping;

        volatile boolean pong;
    }

    /** {@link ArrayBlockingQueue} put and take each way. */
    static RoundTrip blockingQueue(Placement placement) {
        BlockingQueue<Object> ping = new ArrayBlockingQueue<>(1);
        BlockingQueue<Object> pong = new ArrayBlockingQueue<>(1);
        Thread echo = echo("echo-queue", () -> {
            try {
                for (;;) {
                    pong.put(ping.take());
                    placement.tick();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        Object token = new Object();
        return new RoundTrip() {
            @Override
            public void roundTrip() throws InterruptedException {
                ping.put(token);
                pong.take();
            }

            @Override
            public void close() {
                echo.interrupt();
            }
        };
    }

    /** {@code java.nio} pipes, each side waiting in a {@link Selector}. */
    static RoundTrip pipeSelector(Placement placement) throws Exception {
        Pipe there = Pipe.open();
        Pipe back = Pipe.open();
        there.source().configureBlocking(false);
        back.source().configureBlocking(false);
        Selector echoSelector = Selector.open();
        there.source().register(echoSelector, SelectionKey.OP_READ);
        Selector selector = Selector.open();
        back.source().register(selector, SelectionKey.OP_READ);
        Thread echo = echo("echo-pipe", () -> {
            ByteBuffer buffer = ByteBuffer.allocate(1);
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    echoSelector.select();
                    echoSelector.selectedKeys().clear();
                    buffer.clear();
                    if (there.source().read(buffer) > 0) {
                        buffer.flip();
                        back.sink().write(buffer);
                        placement.tick();
                    }
                }
            }
            catch (Exception ex) {
                // closed
            }
        });
        ByteBuffer out = ByteBuffer.allocate(1);
        ByteBuffer in = ByteBuffer.allocate(1);
        return new RoundTrip() {
            @Override
            public void roundTrip() throws Exception {
                out.clear();
                there.sink().write(out);
                in.clear();
                while (back.source().read(in) == 0) {
                    selector.select();
                    selector.selectedKeys().clear();
                }
            }

            @Override
            public void close() throws Exception {
                echo.interrupt();
                echoSelector.close();
                selector.close();
                there.sink().close();
                back.sink().close();
            }
        };
    }
}
