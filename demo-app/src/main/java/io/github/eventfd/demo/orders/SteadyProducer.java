package io.github.eventfd.demo.orders;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.demo.DemoApplication;
import io.github.eventfd.demo.DemoProperties;
import io.github.eventfd.spring.EventFdNotifier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Signals new orders at {@code demo.producer.rate} per second and broadcasts a configuration change every
 * {@code demo.producer.config-every}, from the start of the application to its end.
 */
@Component
@Profile("!billing")
class SteadyProducer implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(SteadyProducer.class);

    private final EventFdNotifier orders;

    private final EventFdNotifier config;

    private final DemoProperties.Producer settings;

    private ScheduledExecutorService scheduler;

    SteadyProducer(@Qualifier(DemoApplication.ORDERS_CREATED) EventFdNotifier orders,
            @Qualifier(DemoApplication.CONFIG_CHANGED) EventFdNotifier config, DemoProperties properties) {
        this.orders = orders;
        this.config = config;
        this.settings = properties.producer();
    }

    @Override
    public synchronized void start() {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-producer");
            thread.setDaemon(true);
            return thread;
        });
        if (this.settings.rate() > 0) {
            long periodNanos = (long) (TimeUnit.SECONDS.toNanos(1) / this.settings.rate());
            this.scheduler.scheduleAtFixedRate(() -> signal(this.orders), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
            logger.info("Signalling " + this.settings.rate() + " new orders per second");
        }
        Duration every = this.settings.configEvery();
        if (!every.isZero()) {
            this.scheduler.scheduleAtFixedRate(() -> signal(this.config), every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private static void signal(EventFdNotifier notifier) {
        try {
            notifier.signal();
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot signal " + notifier.channel() + ": " + ex.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (this.scheduler != null) {
            this.scheduler.shutdownNow();
            this.scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return this.scheduler != null;
    }
}
