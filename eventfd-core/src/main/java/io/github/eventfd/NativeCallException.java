package io.github.eventfd;

import io.github.eventfd.internal.Errno;

/**
 * A system call failed: carries the call, the errno value, its symbolic name and the C library's text.
 *
 * <p>For example {@code eventfd(2) failed: EMFILE (24) Too many open files}. Callers that care about one
 * cause compare {@link #errnoName()} or {@link #errno()}.
 */
public class NativeCallException extends EventFdException {

    private final String syscall;

    private final int errno;

    /**
     * Create an exception for a failed call.
     * @param syscall the call, such as {@code "eventfd"}
     * @param errno the errno value it left
     * @param context what the call was doing, or an empty string
     */
    public NativeCallException(String syscall, int errno, String context) {
        super(message(syscall, errno, context));
        this.syscall = syscall;
        this.errno = errno;
    }

    private static String message(String syscall, int errno, String context) {
        String message = syscall + "(2) failed: " + Errno.name(errno) + " (" + errno + ") " + Errno.describe(errno);
        return context.isEmpty() ? message : message + " [" + context + "]";
    }

    /**
     * The system call that failed.
     * @return its name, such as {@code "write"}
     */
    public String syscall() {
        return this.syscall;
    }

    /**
     * The errno value the call left.
     * @return the numeric errno
     */
    public int errno() {
        return this.errno;
    }

    /**
     * The symbolic name of {@link #errno()}.
     * @return a name such as {@code "EMFILE"}
     */
    public String errnoName() {
        return Errno.name(this.errno);
    }
}
