package io.github.eventfd.internal;

import org.jspecify.annotations.Nullable;

/**
 * Every C library call this project makes, and the native memory they take, through one backend chosen once
 * at startup by {@link NativeBackend}: eventfd-core's own JNI library where the jar carries one for the
 * platform, else the Foreign Function and Memory API on JDK 22 and later and JNA on JDK 17-21. The JNI and FFM
 * backends carry every call, setup included, so JNA is never loaded where they are used. System property
 * {@code eventfd.native} = {@code auto} (default), {@code jni}, {@code jna} or {@code ffm} overrides the choice.
 *
 * <p>Arguments and results are those of the C calls; pointers travel as {@code long} addresses of native
 * memory the caller owns. The errno of a failed call is read with {@link #lastErrno()} on the same thread
 * right after it. Not API.
 */
public abstract class NativeCalls {

    /** The backend in use. */
    public static final NativeCalls INSTANCE = NativeBackend.choose();

    /**
     * Which backend this is.
     * @return {@code "jni"}, {@code "jna"} or {@code "ffm"}
     */
    public abstract String name();

    /**
     * Why this backend cannot make the calls (the C library did not bind, or this is not Linux).
     * @return the failure kept from startup, or {@code null} when the calls can be made
     */
    public abstract @Nullable Throwable linkError();

    /**
     * Size of a C {@code long} on this platform.
     * @return the size in bytes
     */
    public abstract int cLongSize();

    /**
     * Allocate zeroed native memory that any thread may use, freed when it is no longer reachable.
     * @param size the size in bytes
     * @return the block
     */
    public abstract NativeBlock allocate(long size);

    /**
     * Allocate zeroed native memory for the calling thread only, freed by {@link NativeBlock#close()}.
     * @param size the size in bytes
     * @return the block
     */
    public abstract NativeBlock allocateTemporary(long size);

    /**
     * The errno the last call through this backend left on this thread.
     * @return the errno value
     */
    public abstract int lastErrno();

    /** {@code int eventfd(unsigned int initval, int flags)}. */
    public abstract int eventfd(int initval, int flags);

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public abstract long read(int fd, long buf, long count);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    public abstract long write(int fd, long buf, long count);

    /** {@code ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)}. */
    public abstract long preadv2(int fd, long iov, int iovcnt, long offset, int flags);

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    public abstract int poll(long fds, long nfds, int timeout);

    /** {@code int epoll_create1(int flags)}. */
    public abstract int epollCreate1(int flags);

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}. */
    public abstract int epollCtl(int epfd, int op, int fd, long event);

    /** {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}. */
    public abstract int epollWait(int epfd, long events, int maxEvents, int timeout);

    /** {@code int close(int fd)}. */
    public abstract int close(int fd);

    /** {@code pid_t getpid(void)}. */
    public abstract int getpid();

    /** {@code long syscall(long number, ...)} with five arguments, for calls glibc does not wrap (kcmp). */
    public abstract long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    /** {@code int open(const char *pathname, int flags, mode_t mode)}. */
    public abstract int open(long pathname, int flags, int mode);

    /** {@code int fchmod(int fd, mode_t mode)}. */
    public abstract int fchmod(int fd, int mode);

    /** {@code int flock(int fd, int operation)}. */
    public abstract int flock(int fd, int operation);

    /** {@code int socket(int domain, int type, int protocol)}. */
    public abstract int socket(int domain, int type, int protocol);

    /** {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}. */
    public abstract int bind(int sockfd, long addr, int addrlen);

    /** {@code int listen(int sockfd, int backlog)}. */
    public abstract int listen(int sockfd, int backlog);

    /** {@code int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)}. */
    public abstract int accept4(int sockfd, long addr, long addrlen, int flags);

    /** {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}. */
    public abstract int connect(int sockfd, long addr, int addrlen);

    /** {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}. */
    public abstract long sendmsg(int sockfd, long msg, int flags);

    /** {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}. */
    public abstract long recvmsg(int sockfd, long msg, int flags);

    /** {@code int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen)}. */
    public abstract int getsockopt(int sockfd, int level, int optname, long optval, long optlen);

    /**
     * {@code char *strerror(int errnum)}; glibc keeps the text per thread.
     * @param errnum the errno value
     * @return the text
     */
    public abstract String strerror(int errnum);
}
