package io.github.eventfd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.internal.Errno;
import io.github.eventfd.internal.NativeCalls;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import io.github.eventfd.internal.UnixSocket;

/**
 * Child JVM for {@link NativeLayerConcurrentFirstUseIT}: a background warm-up and many threads, each making a
 * different first call into the native layer, released at once. Exits 0 when all finish, 2 with a thread dump
 * when any is stuck after 20 s (a class-initialisation deadlock), 3 when one failed.
 */
public final class NativeLayerFirstUseProbe {

    private NativeLayerFirstUseProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Runnable> firsts = new ArrayList<>();
        firsts.add(EventFdSupport::warmUp);
        firsts.add(EventFdSupport::warmUp);
        firsts.add(EventFdSupport::isAvailable);
        firsts.add(() -> System.out.println("backend=" + NativeCalls.INSTANCE.name()));
        firsts.add(() -> Errno.last());
        firsts.add(() -> Scratch.current());
        firsts.add(() -> Posix.closeQuietly(Posix.epollCreate()));
        firsts.add(() -> Posix.closeQuietly(Posix.eventfd(0, false)));
        firsts.add(() -> {
            try (EventFd fd = EventFd.create()) {
                fd.signal(3);
                fd.tryRead();
            }
        });
        firsts.add(() -> {
            try (EventFd fd = EventFd.create(EventFdMode.SEMAPHORE, 2)) {
                fd.pendingCount();
            }
        });
        firsts.add(() -> {
            try (EventFdPoller poller = EventFdPoller.start(); EventFd fd = EventFd.create()) {
                CountDownLatch got = new CountDownLatch(1);
                poller.register(fd, (f, c) -> got.countDown());
                fd.signal();
                if (!got.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no delivery");
                }
            }
            catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
        firsts.add(() -> {
            Path socket = dir.resolve("s" + System.nanoTime());
            try (UnixSocket listening = UnixSocket.listen(socket, 4)) {
                try (UnixSocket client = UnixSocket.connect(socket)) {
                    client.toString();
                }
            }
        });
        firsts.add(() -> Posix.nowaitReads());
        firsts.add(() -> Posix.platformProblem());
        List<Thread> threads = new ArrayList<>();
        for (Runnable first : firsts) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    first.run();
                }
                catch (Throwable ex) {
                    failure.compareAndSet(null, ex);
                }
            });
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                    System.out.print(info);
                }
                System.out.println("STUCK");
                System.out.flush();
                Runtime.getRuntime().halt(2);
            }
        }
        if (failure.get() != null) {
            failure.get().printStackTrace(System.out);
            System.out.println("FAILED");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.println("done");
    }
}
