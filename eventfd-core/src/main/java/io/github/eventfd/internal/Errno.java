package io.github.eventfd.internal;

/**
 * Linux errno values this project reacts to, and their symbolic names for error messages.
 *
 * <p>Values are those of the generic Linux ABI shared by x86-64 and aarch64. Not API.
 */
public final class Errno {

    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error. */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable: nothing to read, or a write would overflow an eventfd. */
    public static final int EAGAIN = 11;
    /** File exists: for epoll_ctl(2) ADD, the descriptor is in the epoll set already. */
    public static final int EEXIST = 17;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in this process. */
    public static final int EMFILE = 24;

    private static final String[] NAMES = new String[134];

    static {
        name(1, "EPERM");
        name(2, "ENOENT");
        name(3, "ESRCH");
        name(EINTR, "EINTR");
        name(EIO, "EIO");
        name(6, "ENXIO");
        name(EBADF, "EBADF");
        name(EAGAIN, "EAGAIN");
        name(12, "ENOMEM");
        name(13, "EACCES");
        name(14, "EFAULT");
        name(16, "EBUSY");
        name(EEXIST, "EEXIST");
        name(19, "ENODEV");
        name(20, "ENOTDIR");
        name(21, "EISDIR");
        name(EINVAL, "EINVAL");
        name(23, "ENFILE");
        name(EMFILE, "EMFILE");
        name(28, "ENOSPC");
        name(32, "EPIPE");
        name(36, "ENAMETOOLONG");
        name(38, "ENOSYS");
        name(40, "ELOOP");
        name(71, "EPROTO");
        name(88, "ENOTSOCK");
        name(90, "EMSGSIZE");
        name(95, "EOPNOTSUPP");
        name(97, "EAFNOSUPPORT");
        name(98, "EADDRINUSE");
        name(104, "ECONNRESET");
        name(105, "ENOBUFS");
        name(107, "ENOTCONN");
        name(110, "ETIMEDOUT");
        name(111, "ECONNREFUSED");
    }

    private Errno() {
    }

    private static void name(int errno, String name) {
        NAMES[errno] = name;
    }

    /**
     * The errno the last native call of this thread left behind.
     * @return the errno value
     */
    public static int last() {
        return NativeCalls.INSTANCE.lastErrno();
    }

    /**
     * The symbolic name of an errno value.
     * @param errno the value
     * @return its name such as {@code "EMFILE"}, or {@code "errno 200"} for a value without one here
     */
    public static String name(int errno) {
        String name = (errno > 0 && errno < NAMES.length) ? NAMES[errno] : null;
        return (name != null) ? name : "errno " + errno;
    }

    /**
     * The C library's description of an errno value.
     * @param errno the value
     * @return the text of {@code strerror}, or a placeholder when the library is not bound
     */
    public static String describe(int errno) {
        if (NativeCalls.INSTANCE.linkError() != null) {
            return "unknown error " + errno;
        }
        return NativeCalls.INSTANCE.strerror(errno);
    }
}
