package io.github.eventfd;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link EventFdSupportTest}: warms the native layer up, says so, then does what an
 * application's first channel does (create, register with a poller, signal, deliver, close).
 */
public final class WarmUpProbe {

    private WarmUpProbe() {
    }

    public static void main(String[] args) throws Exception {
        EventFdSupport.warmUp();
        System.out.println("warmed up");
        System.out.flush();
        CountDownLatch delivered = new CountDownLatch(1);
        try (EventFd eventFd = EventFd.create(); EventFdPoller poller = EventFdPoller.start()) {
            poller.register(eventFd, (fd, count) -> delivered.countDown());
            eventFd.signal(2);
            if (!delivered.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no delivery");
            }
        }
        System.out.println("first channel done");
    }
}
