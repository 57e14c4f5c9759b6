package io.github.eventfd.share;

import io.github.eventfd.EventFdException;

/**
 * A sharing peer or message was refused, or sharing could not be set up; {@link #reason()} says why.
 */
public class ShareException extends EventFdException {

    private final ShareErrorReason reason;

    /**
     * Create an exception.
     * @param reason the reason
     * @param message the details
     */
    public ShareException(ShareErrorReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Create an exception with a cause.
     * @param reason the reason
     * @param message the details
     * @param cause the underlying failure
     */
    public ShareException(ShareErrorReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Why.
     * @return the reason
     */
    public ShareErrorReason reason() {
        return this.reason;
    }
}
