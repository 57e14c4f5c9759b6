package io.github.eventfd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run under a low descriptor limit ({@code prlimit --nofile}): opens eventfds until the kernel refuses,
 * then checks that the refusal is a typed EMFILE error and that every operation of the eventfds already open
 * and of a poller registration still works, each with the process at its limit again. Prints
 * {@code refused with EMFILE after N, existing ok}, one line {@code op <name>: ok} or
 * {@code op <name>: broken ...} per operation, and {@code after closing 10: create ok}.
 */
public final class FdExhaustionProbe {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private FdExhaustionProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<EventFd> open = new ArrayList<>();
        // threads that wait in a read: started before the limit is reached, as a thread pool would be
        ExecutorService platformReaders = Executors.newCachedThreadPool();
        ExecutorService virtualReaders = virtualThreadExecutor();
        try (EventFdPoller poller = EventFdPoller.builder()
                .errorHandler((eventFd, error) -> System.out.println("poller error for " + eventFd + ": " + error))
                .start()) {
            AtomicLong delivered = new AtomicLong();
            EventFd first = EventFd.create();
            open.add(first);
            poller.register(first, (fd, count) -> delivered.addAndGet(count));
            for (int i = 0; i < 3; i++) {
                open.add(EventFd.create());
            }
            warmUp(platformReaders);
            if (virtualReaders != null) {
                warmUp(virtualReaders);
            }
            NativeCallException refusal = exhaust(open);
            if (refusal == null) {
                System.out.println("no refusal");
                return;
            }
            first.signal(3);
            open.get(1).signal(2);
            long readBack = open.get(1).tryRead();
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (delivered.get() != 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            boolean existingOk = readBack == 2 && delivered.get() == 3;
            System.out.println("refused with " + refusal.errnoName() + " after " + open.size() + ", existing "
                    + (existingOk ? "ok" : "broken") + ": " + refusal.getMessage());

            EventFd handle = open.get(1);
            op("signal", () -> {
                handle.signal();
                return handle.tryRead() == 1;
            });
            op("signal(n)", () -> {
                handle.signal(7);
                return handle.tryRead() == 7;
            });
            op("tryRead", () -> handle.tryRead() == 0);
            op("pendingCount", () -> {
                handle.signal(5);
                try {
                    return handle.pendingCount() == 5;
                }
                catch (NativeCallException ex) {
                    // reading /proc/self/fdinfo needs a descriptor: the one call that may be refused, typed
                    System.out.println("pendingCount refused: " + ex.getMessage());
                    return ex.errnoName().equals("EMFILE");
                }
                finally {
                    handle.tryRead();
                }
            });
            op("read() from another thread", () -> readFromAnotherThread(platformReaders, handle, null));
            op("read(timeout) from another thread", () -> readFromAnotherThread(platformReaders, handle, BOUND));
            op("read(timeout) timing out", () -> handle.read(Duration.ofMillis(50)) == 0);
            if (virtualReaders != null) {
                op("read() from a virtual thread", () -> readFromAnotherThread(virtualReaders, handle, null));
                op("read(timeout) from a virtual thread", () -> readFromAnotherThread(virtualReaders, handle, BOUND));
            }
            op("close() while a read waits", () -> closeWhileReadWaits(platformReaders, open.get(2)));
            if (virtualReaders != null) {
                exhaust(open);
                op("close() while a virtual-thread read waits", () -> closeWhileReadWaits(virtualReaders, open.get(3)));
            }
            exhaust(open);
            EventFd registered = open.get(4);
            AtomicLong counted = new AtomicLong();
            PollerRegistration[] registration = new PollerRegistration[1];
            op("poller register", () -> {
                registration[0] = poller.register(registered, (fd, count) -> counted.addAndGet(count));
                return true;
            });
            op("poller delivery", () -> {
                registered.signal(4);
                boolean arrived = waitFor(() -> counted.get() == 4);
                System.out.println("delivered " + counted.get() + " of 4");
                return arrived;
            });
            op("poller registration close", () -> {
                registration[0].close();
                registered.signal(1);
                Thread.sleep(100);
                long left = registered.tryRead();
                System.out.println("after the registration closed: delivered " + counted.get() + ", left " + left);
                return counted.get() == 4 && left == 1;
            });
            op("poller still delivers to the others", () -> {
                first.signal(2);
                return waitFor(() -> delivered.get() == 5);
            });
            op("close()", () -> {
                registered.close();
                return registered.isClosed();
            });
            // closing some makes room again
            for (int i = 0; i < 10; i++) {
                open.remove(open.size() - 1).close();
            }
            EventFd again = EventFd.create();
            open.add(again);
            System.out.println("after closing 10: create " + (again.isClosed() ? "failed" : "ok"));
        }
        finally {
            open.forEach(EventFd::close);
            platformReaders.shutdownNow();
            if (virtualReaders != null) {
                virtualReaders.shutdownNow();
            }
        }
    }

    /** Open eventfds until the kernel refuses; returns the refusal, or null if none came. */
    private static NativeCallException exhaust(List<EventFd> open) {
        for (int i = 0; i < 100_000; i++) {
            try {
                open.add(EventFd.create());
            }
            catch (NativeCallException ex) {
                return ex;
            }
        }
        return null;
    }

    private static void op(String name, Callable<Boolean> operation) {
        try {
            System.out.println("op " + name + ": " + (operation.call() ? "ok" : "broken"));
        }
        catch (Throwable ex) {
            System.out.println("op " + name + ": broken by " + ex);
        }
    }

    private static boolean readFromAnotherThread(ExecutorService readers, EventFd handle, Duration timeout)
            throws Exception {
        Future<Long> read = readers.submit(() -> (timeout != null) ? handle.read(timeout) : handle.read());
        Thread.sleep(100);
        handle.signal(2);
        return read.get(BOUND.toMillis(), TimeUnit.MILLISECONDS) == 2;
    }

    private static boolean closeWhileReadWaits(ExecutorService readers, EventFd handle) throws Exception {
        Future<Long> read = readers.submit(() -> handle.read());
        Thread.sleep(100);
        long start = System.nanoTime();
        handle.close();
        try {
            read.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        }
        catch (java.util.concurrent.ExecutionException ex) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("woken by close after " + millis + " ms: " + ex.getCause());
            return ex.getCause() instanceof IllegalStateException;
        }
    }

    private static boolean waitFor(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Run a task on each executor thread so that the classes of the calls above are loaded before the limit. */
    private static void warmUp(ExecutorService readers) throws Exception {
        readers.submit(() -> {
            Thread.sleep(1);
            return null;
        }).get();
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+, null before (the tests compile for 17). */
    private static ExecutorService virtualThreadExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }
        catch (ReflectiveOperationException ex) {
            return null;
        }
    }
}
