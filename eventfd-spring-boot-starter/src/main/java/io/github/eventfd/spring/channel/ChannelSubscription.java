package io.github.eventfd.spring.channel;

import java.time.Duration;

/** A channel's live delivery, eventfd or in-memory, that shutdown ends. */
interface ChannelSubscription {

    /**
     * Stop delivering, waiting at most {@code maxWait} for a running delivery.
     * @return {@code false} if a delivery was still running
     */
    boolean close(Duration maxWait);
}
