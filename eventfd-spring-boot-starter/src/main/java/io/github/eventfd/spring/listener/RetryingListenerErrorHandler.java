package io.github.eventfd.spring.listener;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Delivers a failed count again after the delay its {@link BackOff} gives, until the back-off says stop;
 * then logs the failure at error level and gives it up. Each run of failures of one listener in a row has an
 * execution of its own, started at its first failure, as Spring Kafka's {@code DefaultErrorHandler} does per
 * record:
 *
 * <pre>{@code
 * @Bean
 * EventFdListenerErrorHandler ordersRetry() {
 *     return new RetryingListenerErrorHandler(new FixedBackOff(500, 3)); // 3 more tries, 500 ms apart
 * }
 *
 * @EventFdListener(value = "orders", errorHandler = "ordersRetry")
 * void onOrders(long count) { ... }
 * }</pre>
 */
public class RetryingListenerErrorHandler implements EventFdListenerErrorHandler {

    private static final Log logger = LogFactory.getLog(RetryingListenerErrorHandler.class);

    private final BackOff backOff;

    private final Map<String, BackOffExecution> executions = new ConcurrentHashMap<>();

    /**
     * Create the handler.
     * @param backOff how long to wait before each new delivery, and when to stop
     */
    public RetryingListenerErrorHandler(BackOff backOff) {
        this.backOff = Objects.requireNonNull(backOff, "'backOff' must not be null");
    }

    @Override
    public void handleError(EventFdListenerFailure failure) {
        String key = failure.channel() + '\u0000' + failure.listener();
        BackOffExecution execution = (failure.attempt() == 1) ? this.backOff.start()
                : this.executions.computeIfAbsent(key, k -> this.backOff.start());
        long delay = execution.nextBackOff();
        if (delay == BackOffExecution.STOP) {
            this.executions.remove(key);
            failure.giveUp();
            logger.error("@EventFdListener " + failure.listener() + " of channel '" + failure.channel() + "' failed "
                    + failure.attempt() + " time(s) in a row; giving up " + failure.event(), failure.cause());
            return;
        }
        this.executions.put(key, execution);
        failure.redeliver(Duration.ofMillis(delay));
        logger.warn("@EventFdListener " + failure.listener() + " of channel '" + failure.channel() + "' failed on "
                + failure.event() + " (attempt " + failure.attempt() + "); delivering it again in " + delay + " ms: "
                + failure.cause());
    }
}
