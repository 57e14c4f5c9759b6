package io.github.eventfd.internal;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * The JNI backend (every JDK from 17, on a platform the jar carries a library for): eventfd-core's own C
 * library, {@code src/main/c/eventfd_jni.c}, one thin function per C call. Linking it costs the load of an
 * 18 kB library, where the FFM backend spins method handles and the JNA one extracts and loads its own
 * dispatch library, each tens to hundreds of milliseconds at startup. Memory is direct buffers. Not API.
 */
final class JniCalls extends NativeCalls {

    /** What the library's {@code EVENTFD_JNI_ABI_VERSION} must equal. */
    static final int ABI_VERSION = 1;

    /**
     * Loads the library this jar carries for this platform.
     * @throws UnsatisfiedLinkError when there is none for this platform, or it cannot be loaded, or it is
     * from another build
     */
    JniCalls() {
        JniLibrary.load();
        int version = abiVersion();
        if (version != ABI_VERSION) {
            throw new UnsatisfiedLinkError("the eventfd JNI library has ABI version " + version + ", this class "
                    + ABI_VERSION + ": a library from another build of eventfd-core is loaded");
        }
    }

    @Override
    public String name() {
        return "jni";
    }

    @Override
    public @Nullable Throwable linkError() {
        // the constructor loaded the library: a backend that exists can make every call
        return null;
    }

    @Override
    public int cLongSize() {
        return cLong();
    }

    @Override
    public NativeBlock allocate(long size) {
        return JniBlock.lasting(size);
    }

    @Override
    public NativeBlock allocateTemporary(long size) {
        return JniBlock.temporary(size);
    }

    @Override
    public int lastErrno() {
        return errno0();
    }

    @Override
    public int eventfd(int initval, int flags) {
        return eventfd0(initval, flags);
    }

    @Override
    public long read(int fd, long buf, long count) {
        return read0(fd, buf, count);
    }

    @Override
    public long write(int fd, long buf, long count) {
        return write0(fd, buf, count);
    }

    @Override
    public long preadv2(int fd, long iov, int iovcnt, long offset, int flags) {
        return preadv20(fd, iov, iovcnt, offset, flags);
    }

    @Override
    public int poll(long fds, long nfds, int timeout) {
        return poll0(fds, nfds, timeout);
    }

    @Override
    public int epollCreate1(int flags) {
        return epollCreate10(flags);
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return epollCtl0(epfd, op, fd, event);
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeout) {
        return epollWait0(epfd, events, maxEvents, timeout);
    }

    @Override
    public int close(int fd) {
        return close0(fd);
    }

    @Override
    public int getpid() {
        return getpid0();
    }

    @Override
    public long syscall(long number, long a1, long a2, long a3, long a4, long a5) {
        return syscall0(number, a1, a2, a3, a4, a5);
    }

    @Override
    public int open(long pathname, int flags, int mode) {
        return open0(pathname, flags, mode);
    }

    @Override
    public int fchmod(int fd, int mode) {
        return fchmod0(fd, mode);
    }

    @Override
    public int flock(int fd, int operation) {
        return flock0(fd, operation);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return socket0(domain, type, protocol);
    }

    @Override
    public int bind(int sockfd, long addr, int addrlen) {
        return bind0(sockfd, addr, addrlen);
    }

    @Override
    public int listen(int sockfd, int backlog) {
        return listen0(sockfd, backlog);
    }

    @Override
    public int accept4(int sockfd, long addr, long addrlen, int flags) {
        return accept40(sockfd, addr, addrlen, flags);
    }

    @Override
    public int connect(int sockfd, long addr, int addrlen) {
        return connect0(sockfd, addr, addrlen);
    }

    @Override
    public long sendmsg(int sockfd, long msg, int flags) {
        return sendmsg0(sockfd, msg, flags);
    }

    @Override
    public long recvmsg(int sockfd, long msg, int flags) {
        return recvmsg0(sockfd, msg, flags);
    }

    @Override
    public int getsockopt(int sockfd, int level, int optname, long optval, long optlen) {
        return getsockopt0(sockfd, level, optname, optval, optlen);
    }

    @Override
    public String strerror(int errnum) {
        return strerror0(errnum);
    }

    // The library's functions (src/main/c/eventfd_jni.c). Each C call keeps its errno for errno0().

    private static native int abiVersion();

    private static native int cLong();

    private static native int errno0();

    static native long bufferAddress(ByteBuffer buffer);

    /** Zeroed memory from {@code calloc}, as a direct buffer that {@link #free0} releases; null when none. */
    static native @Nullable ByteBuffer allocateZeroed(long size);

    static native void free0(long address);

    private static native String strerror0(int errnum);

    private static native int eventfd0(int initval, int flags);

    private static native long read0(int fd, long buf, long count);

    private static native long write0(int fd, long buf, long count);

    private static native long preadv20(int fd, long iov, int iovcnt, long offset, int flags);

    private static native int poll0(long fds, long nfds, int timeout);

    private static native int epollCreate10(int flags);

    private static native int epollCtl0(int epfd, int op, int fd, long event);

    private static native int epollWait0(int epfd, long events, int maxEvents, int timeout);

    private static native int close0(int fd);

    private static native int getpid0();

    private static native long syscall0(long number, long a1, long a2, long a3, long a4, long a5);

    private static native int open0(long pathname, int flags, int mode);

    private static native int fchmod0(int fd, int mode);

    private static native int flock0(int fd, int operation);

    private static native int socket0(int domain, int type, int protocol);

    private static native int bind0(int sockfd, long addr, int addrlen);

    private static native int listen0(int sockfd, int backlog);

    private static native int accept40(int sockfd, long addr, long addrlen, int flags);

    private static native int connect0(int sockfd, long addr, int addrlen);

    private static native long sendmsg0(int sockfd, long msg, int flags);

    private static native long recvmsg0(int sockfd, long msg, int flags);

    private static native int getsockopt0(int sockfd, int level, int optname, long optval, long optlen);
}
