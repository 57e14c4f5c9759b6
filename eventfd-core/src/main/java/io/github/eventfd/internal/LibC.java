package io.github.eventfd.internal;

import java.io.File;
import java.util.List;
import java.util.StringJoiner;

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
 * Binding starts no process: see {@link #presetPlatformLibraryPath()}.
 *
 * <p>Not API: use {@code io.github.eventfd.EventFd} and {@code EventFdPoller}.
 */
public final class LibC {

    private static final String GLIBC = "libc.so.6";

    private static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

    private static final @Nullable Throwable LINK_ERROR = link();

    private LibC() {
    }

    private static @Nullable Throwable link() {
        try {
            if (!"Linux".equals(System.getProperty("os.name"))) {
                return new UnsupportedOperationException(
                        "eventfd(2) is Linux only; this is " + System.getProperty("os.name"));
            }
            presetPlatformLibraryPath();
            try {
                // by its soname, which dlopen finds at once (glibc is already mapped): no search by JNA
                Native.register(LibC.class, GLIBC);
            }
            catch (UnsatisfiedLinkError ex) {
                // another C library (musl): JNA's own search for "c"
                Native.register(LibC.class, Platform.C_LIBRARY_NAME);
            }
            return null;
        }
        catch (Throwable ex) {
            return ex;
        }
    }

    /**
     * JNA's {@code NativeLibrary} runs {@code /sbin/ldconfig -p} in a child process when it initialises, to
     * add the directories of the loader's cache to the ones it searches by itself, unless
     * {@code jna.platform.library.path} is set. Set it, if no one has, to the directories JNA uses without
     * the cache (those of the multi-arch layout that exist), so that binding the C library forks nothing.
     * Libraries loaded by name still come from anywhere the dynamic loader finds them.
     */
    private static void presetPlatformLibraryPath() {
        if (System.getProperty(PLATFORM_LIBRARY_PATH) != null) {
            return;
        }
        String arch = System.getProperty("os.arch");
        String multiArch = ("aarch64".equals(arch) ? "aarch64" : "x86_64") + "-linux-gnu";
        StringJoiner path = new StringJoiner(File.pathSeparator);
        for (String directory : List.of("/usr/lib/" + multiArch, "/lib/" + multiArch, "/usr/lib64", "/lib64",
                "/usr/lib", "/lib")) {
            if (new File(directory).isDirectory()) {
                path.add(directory);
            }
        }
        if (path.length() > 0) {
            System.setProperty(PLATFORM_LIBRARY_PATH, path.toString());
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

    /** {@code int open(const char *pathname, int flags, mode_t mode)}. */
    public static native int open(long pathname, int flags, int mode);

    /** {@code int fchmod(int fd, mode_t mode)}. */
    public static native int fchmod(int fd, int mode);

    /** {@code int flock(int fd, int operation)}. */
    public static native int flock(int fd, int operation);
}
