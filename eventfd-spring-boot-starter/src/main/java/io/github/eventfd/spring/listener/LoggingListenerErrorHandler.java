package io.github.eventfd.spring.listener;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs a listener's failure at error level and goes on: the wake-up it failed on is not delivered again.
 * The default where {@code eventfd.listener.retry.enabled} is {@code false}; a listener whose work can be
 * found again on the next wake-up (a doorbell that fetches from a table) needs nothing more.
 */
public class LoggingListenerErrorHandler implements EventFdListenerErrorHandler {

    private static final Log logger = LogFactory.getLog(LoggingListenerErrorHandler.class);

    @Override
    public void handleError(EventFdListenerFailure failure) {
        logger.error("@EventFdListener " + failure.listener() + " of channel '" + failure.channel() + "' failed on "
                + failure.event() + "; delivery goes on", failure.cause());
    }
}
