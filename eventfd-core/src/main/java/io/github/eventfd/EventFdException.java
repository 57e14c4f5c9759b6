package io.github.eventfd;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception this library throws for a failed eventfd, epoll or socket operation.
 */
public class EventFdException extends RuntimeException {

    /**
     * Create an exception with a message.
     * @param message what went wrong, naming the value or call involved
     */
    public EventFdException(String message) {
        super(message);
    }

    /**
     * Create an exception with a message and a cause.
     * @param message what went wrong, naming the value or call involved
     * @param cause the underlying failure
     */
    public EventFdException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
