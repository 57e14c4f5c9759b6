package io.github.eventfd.demo.billing;

import java.time.Duration;

import io.github.eventfd.UnsignedCount;
import io.github.eventfd.demo.DemoApplication;
import io.github.eventfd.demo.DemoProperties;
import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Bills new orders (a little simulated work per delivery) and reloads configuration when told.
 */
@Component
@Profile("!orders")
class BillingListeners {

    private static final Log logger = LogFactory.getLog(BillingListeners.class);

    private final BillingStats stats;

    private final Duration work;

    BillingListeners(BillingStats stats, DemoProperties properties) {
        this.stats = stats;
        this.work = properties.billing().work();
    }

    @EventFdListener(value = DemoApplication.ORDERS_CREATED, resync = true)
    void onOrdersCreated(EventFdChannelEvent event) throws InterruptedException {
        if (!(event instanceof EventFdSignalEvent signal)) {
            logger.info("resync channel=" + DemoApplication.ORDERS_CREATED + ": re-reading unbilled orders");
            this.stats.resynced(DemoApplication.ORDERS_CREATED);
            return;
        }
        long count = signal.getCount();
        logger.info("delivery channel=" + DemoApplication.ORDERS_CREATED + " count=" + UnsignedCount.toString(count)
                + " coalesced=" + (count != 1));
        if (!this.work.isZero()) {
            Thread.sleep(this.work.toMillis(), this.work.toNanosPart() % 1_000_000);
        }
        this.stats.received(DemoApplication.ORDERS_CREATED, count);
    }

    @EventFdListener(DemoApplication.CONFIG_CHANGED)
    void onConfigChanged(EventFdSignalEvent event) {
        logger.info("delivery channel=" + event.getChannel() + " count=" + UnsignedCount.toString(event.getCount()) + " coalesced="
                + event.isCoalesced() + ": reloading configuration");
        this.stats.received(event.getChannel(), event.getCount());
    }
}
