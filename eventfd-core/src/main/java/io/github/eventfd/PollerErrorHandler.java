package io.github.eventfd;

import org.jspecify.annotations.Nullable;

/**
 * Receives every failure of an {@link EventFdPoller}, so that none is lost in a dying thread.
 */
@FunctionalInterface
public interface PollerErrorHandler {

    /**
     * Handle a failure. Called on the thread that saw it; must not block for long.
     * @param eventFd the handle whose callback or dispatch failed, or {@code null} when the poller itself
     * failed and stopped (see {@link EventFdPoller#failure()})
     * @param error the failure
     */
    void handleError(@Nullable EventFd eventFd, Throwable error);
}
