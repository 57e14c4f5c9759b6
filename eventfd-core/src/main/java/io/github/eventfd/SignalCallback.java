package io.github.eventfd;

/**
 * What an {@link EventFdPoller} calls when a registered eventfd was signalled.
 */
@FunctionalInterface
public interface SignalCallback {

    /**
     * Handle one wake-up. Signals that arrive while this runs coalesce in the kernel counter and are
     * delivered by the next call, never concurrently with this one.
     * @param eventFd the handle that was signalled
     * @param count the unsigned count read: every signal since the last call in counter mode, 1 in
     * semaphore mode; never 0
     * @throws Exception any failure, passed to the poller's {@link PollerErrorHandler}; delivery goes on
     */
    void onSignal(EventFd eventFd, long count) throws Exception;
}
