package io.github.eventfd.spring.autoconfigure;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names listener threads {@code eventfd-listener-N}. A class of its own rather than nested in
 * {@link EventFdAutoConfiguration}: Spring reads the class file of every class nested in a configuration class, to
 * see whether it is one, and that read costs a start about as much as the class itself.
 */
final class ListenerThreadFactory implements ThreadFactory {

    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
        return new Thread(runnable, "eventfd-listener-" + this.count.incrementAndGet());
    }
}
