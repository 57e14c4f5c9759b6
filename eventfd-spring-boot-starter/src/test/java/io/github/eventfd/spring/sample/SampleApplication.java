package io.github.eventfd.spring.sample;

import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.annotation.EventFdListener;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A sample application with nothing but the starter and one listener bean. */
@SpringBootApplication
public class SampleApplication {

    /** Counts what arrives on "orders". */
    @Component
    public static class OrderListener {

        final AtomicLong received = new AtomicLong();

        final AtomicLong eventTotal = new AtomicLong();

        @EventFdListener("orders")
        void onOrders(long count) {
            this.received.addAndGet(count);
        }

        @EventListener
        void onAny(EventFdSignalEvent event) {
            this.eventTotal.addAndGet(event.getCount());
        }
    }
}
