package io.github.eventfd.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.jspecify.annotations.Nullable;

/**
 * The C library calls this project makes, bound once with JNA direct mapping.
 *
 * <p>Every argument is a primitive: pointers travel as {@code long} addresses of native memory the caller
 * owns, so a call allocates nothing on the Java heap and takes JNA's fastest path. Names and argument
 * order follow the C declarations. Linking never breaks class initialisation: a failure is kept and
 * reported by {@link #linkError()}, and calling any method after it fails with {@link UnsatisfiedLinkError}.
 *
 * <p>Not API: use {@code io.github.eventfd.EventFd} and {@code EventFdPoller}.
 */
public final class LibC {

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

    private static final @Nullable Throwable LINK_ERROR = link();

    private LibC() {
    }

    private static @Nullable Throwable link() {
        try {
            if (!Platform.isLinux()) {
                return new UnsupportedOperationException(
                        "eventfd(2) is Linux only; this is " + System.getProperty("os.name"));
            }
            Native.register(LibC.class, Platform.C_LIBRARY_NAME);
            return null;
        }
        catch (Throwable ex) {
            return ex;
        }
    }

    /**
     * Why the C library could not be bound, or {@code null} when it was.
     * @return the failure kept from class initialisation, or {@code null}
     */
    public static @Nullable Throwable linkError() {
        return LINK_ERROR;
    }

    /** {@code int eventfd(unsigned int initval, int flags)}. */
    public static native int eventfd(int initval, int flags);

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public static native long read(int fd, long buf, long count);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    public static native long write(int fd, long buf, long count);

    /** {@code ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)}. */
    public static native long preadv2(int fd, long iov, int iovcnt, long offset, int flags);

    /** {@code long syscall(long number, ...)}, for calls glibc does not wrap (kcmp). */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    /** {@code int fcntl(int fd, int cmd, ...)} with one integer argument. */
    public static native int fcntl(int fd, int cmd, long arg);

    /** {@code pid_t getpid(void)}. */
    public static native int getpid();

    /** {@code int close(int fd)}. */
    public static native int close(int fd);

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    public static native int poll(long fds, long nfds, int timeout);

    /** {@code int epoll_create1(int flags)}. */
    public static native int epoll_create1(int flags);

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}. */
    public static native int epoll_ctl(int epfd, int op, int fd, long event);

    /** {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}. */
    public static native int epoll_wait(int epfd, long events, int maxevents, int timeout);

    /** {@code int socket(int domain, int type, int protocol)}. */
    public static native int socket(int domain, int type, int protocol);

    /** {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}. */
    public static native int bind(int sockfd, long addr, int addrlen);

    /** {@code int listen(int sockfd, int backlog)}. */
    public static native int listen(int sockfd, int backlog);

    /** {@code int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)}. */
    public static native int accept4(int sockfd, long addr, long addrlen, int flags);

    /** {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}. */
    public static native int connect(int sockfd, long addr, int addrlen);

    /** {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}. */
    public static native long sendmsg(int sockfd, long msg, int flags);

    /** {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}. */
    public static native long recvmsg(int sockfd, long msg, int flags);

    /** {@code int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen)}. */
    public static native int getsockopt(int sockfd, int level, int optname, long optval, long optlen);

    /** {@code char *strerror(int errnum)}; glibc keeps the text per thread. */
    public static native String strerror(int errnum);

    /** {@code O_RDWR}. */
    public static final int O_RDWR = 02;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_NOCTTY}: a terminal opened by name never becomes the controlling terminal. */
    public static final int O_NOCTTY = 0400;
    /** {@code O_NONBLOCK}: opening a FIFO or device returns at once. */
    public static final int O_NONBLOCK = 04000;
    /** {@code O_NOFOLLOW}: fail with ELOOP when the last component is a symbolic link; aarch64 has its own value. */
    public static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;
    /** {@code O_PATH}: a handle on the file itself (any type, never opened for I/O). */
    public static final int O_PATH = 010000000;
    /** {@code LOCK_EX} for flock(2). */
    public static final int LOCK_EX = 2;
    /** {@code LOCK_NB} for flock(2): fail with EWOULDBLOCK instead of waiting. */
    public static final int LOCK_NB = 4;

    /** {@code int open(const char *pathname, int flags, mode_t mode)}. */
    public static native int open(long pathname, int flags, int mode);

    /** {@code int fchmod(int fd, mode_t mode)}. */
    public static native int fchmod(int fd, int mode);

    /** {@code int flock(int fd, int operation)}. */
    public static native int flock(int fd, int operation);
}
