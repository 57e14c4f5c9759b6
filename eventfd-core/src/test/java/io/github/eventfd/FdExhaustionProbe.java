package io.github.eventfd;

import java.util.ArrayList;
import java.util.List;

/**
 * Run under a low descriptor limit ({@code prlimit --nofile}): opens eventfds until the kernel refuses,
 * then checks that the refusal is a typed EMFILE error and that the eventfds already open still work.
 * Prints {@code emfile after N, existing ok} or what went wrong.
 */
public final class FdExhaustionProbe {

    private FdExhaustionProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<EventFd> open = new ArrayList<>();
        try (EventFdPoller poller = EventFdPoller.start()) {
            long[] delivered = new long[1];
            EventFd first = EventFd.create();
            open.add(first);
            poller.register(first, (fd, count) -> delivered[0] += count);
            NativeCallException refusal = null;
            for (int i = 0; i < 100_000 && refusal == null; i++) {
                try {
                    open.add(EventFd.create());
                }
                catch (NativeCallException ex) {
                    refusal = ex;
                }
            }
            if (refusal == null) {
                System.out.println("no refusal");
                return;
            }
            first.signal(3);
            open.get(1).signal(2);
            long readBack = open.get(1).tryRead();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (delivered[0] != 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            boolean existingOk = readBack == 2 && delivered[0] == 3;
            System.out.println("refused with " + refusal.errnoName() + " after " + open.size() + ", existing "
                    + (existingOk ? "ok" : "broken") + ": " + refusal.getMessage());
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
        }
    }
}
