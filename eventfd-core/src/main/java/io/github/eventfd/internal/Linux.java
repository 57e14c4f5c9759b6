package io.github.eventfd.internal;

/**
 * The Linux ABI constants the system calls of this project take: flags, options and commands, as the C
 * headers define them for x86-64 and aarch64. No native code: every backend shares them. Not API.
 */
public final class Linux {

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    /** {@code EFD_SEMAPHORE}: a read returns 1 and decrements the counter. */
    public static final int EFD_SEMAPHORE = 1;
    /** {@code EFD_NONBLOCK}, the same value as {@code O_NONBLOCK}. */
    public static final int EFD_NONBLOCK = 0x800;
    /** {@code EFD_CLOEXEC}, the same value as {@code O_CLOEXEC}. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code EPOLL_CLOEXEC}. */
    public static final int EPOLL_CLOEXEC = 0x80000;
    /** {@code EPOLL_CTL_ADD}. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLL_CTL_DEL}. */
    public static final int EPOLL_CTL_DEL = 2;
    /** {@code EPOLL_CTL_MOD}. */
    public static final int EPOLL_CTL_MOD = 3;
    /** {@code EPOLLIN}. */
    public static final int EPOLLIN = 0x001;
    /** {@code EPOLLONESHOT}: the interest is disarmed after one event until re-armed with MOD. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** {@code RWF_NOWAIT} for preadv2(2): fail with EAGAIN instead of waiting, whatever the file's flags. */
    public static final int RWF_NOWAIT = 0x8;
    /** {@code F_DUPFD_CLOEXEC} for fcntl(2). */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /** {@code F_GETFL} for fcntl(2). */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL} for fcntl(2). */
    public static final int F_SETFL = 4;
    /** {@code KCMP_FILE} for kcmp(2): whether two descriptors refer to the same open file description. */
    public static final int KCMP_FILE = 0;
    /** {@code POLLOUT} for poll(2). */
    public static final short POLLOUT = 0x004;
    /** {@code POLLIN} for poll(2). */
    public static final short POLLIN = 0x001;
    /** {@code AF_UNIX}. */
    public static final int AF_UNIX = 1;
    /** {@code SOCK_SEQPACKET}: connection-oriented, message boundaries kept. */
    public static final int SOCK_SEQPACKET = 5;
    /** {@code SOCK_NONBLOCK}. */
    public static final int SOCK_NONBLOCK = 0x800;
    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_PEERCRED}. */
    public static final int SO_PEERCRED = 17;
    /** {@code SCM_RIGHTS}. */
    public static final int SCM_RIGHTS = 1;
    /** {@code MSG_TRUNC}: the payload did not fit. */
    public static final int MSG_TRUNC = 0x20;
    /** {@code MSG_CTRUNC}: the control data (passed descriptors) did not fit. */
    public static final int MSG_CTRUNC = 0x8;
    /** {@code MSG_NOSIGNAL}: no SIGPIPE on a closed peer. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code MSG_CMSG_CLOEXEC}: received descriptors are close-on-exec. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code POLLHUP}. */
    public static final short POLLHUP = 0x010;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 02;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_NOCTTY}: a terminal opened by name never becomes the controlling terminal. */
    public static final int O_NOCTTY = 0400;
    /** {@code O_NONBLOCK}: opening a FIFO or device returns at once. */
    public static final int O_NONBLOCK = 04000;
    /** {@code O_NOFOLLOW}: fail with ELOOP when the last component is a symbolic link; aarch64 has its own value. */
    public static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;
    /** {@code O_PATH}: a handle on the file itself (any type, never opened for I/O). */
    public static final int O_PATH = 010000000;
    /** {@code LOCK_EX} for flock(2). */
    public static final int LOCK_EX = 2;
    /** {@code LOCK_NB} for flock(2): fail with EWOULDBLOCK instead of waiting. */
    public static final int LOCK_NB = 4;

    private Linux() {
    }
}
