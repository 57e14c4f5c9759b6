package io.github.eventfd;

import org.jspecify.annotations.Nullable;

/**
 * eventfd(2) cannot be used here: not Linux, the C library could not be bound, or the kernel refused.
 */
public class EventFdUnavailableException extends EventFdException {

    /**
     * Create an exception that keeps why eventfd is unavailable.
     * @param message what is missing
     * @param cause the failure found when availability was checked
     */
    public EventFdUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
