package io.github.eventfd.internal;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * The JNI backend (every JDK from 17, on a platform the jar carries a library for): eventfd-core's own C
 * library, {@code src/main/c/eventfd_jni.c}, one thin function per C call. Linking it costs the load of a
 * 18 kB library, where the FFM backend spins method handles and the JNA one extracts and loads its own
 * dispatch library, each tens to hundreds of milliseconds at startup. Each C call is a {@code native} method
 * implementing the one of {@link NativeCalls}, so a call is one JNI transition. Memory is direct buffers. Not
 * API.
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
    public native int cLongSize();

    @Override
    public NativeBlock allocate(long size) {
        return JniBlock.lasting(size);
    }

    @Override
    public NativeBlock allocateTemporary(long size) {
        return JniBlock.temporary(size);
    }

    /** The errno the library's last call on this thread left: each C function keeps it as it returns. */
    @Override
    public native int lastErrno();

    @Override
    public native int eventfd(int initval, int flags);

    @Override
    public native long read(int fd, long buf, long count);

    @Override
    public native long write(int fd, long buf, long count);

    @Override
    public native long preadv2(int fd, long iov, int iovcnt, long offset, int flags);

    @Override
    public native int poll(long fds, long nfds, int timeout);

    @Override
    public native int epollCreate1(int flags);

    @Override
    public native int epollCtl(int epfd, int op, int fd, long event);

    @Override
    public native int epollWait(int epfd, long events, int maxEvents, int timeout);

    @Override
    public native int close(int fd);

    @Override
    public native int getpid();

    @Override
    public native long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    @Override
    public native int open(long pathname, int flags, int mode);

    @Override
    public native int fchmod(int fd, int mode);

    @Override
    public native int flock(int fd, int operation);

    @Override
    public native int socket(int domain, int type, int protocol);

    @Override
    public native int bind(int sockfd, long addr, int addrlen);

    @Override
    public native int listen(int sockfd, int backlog);

    @Override
    public native int accept4(int sockfd, long addr, long addrlen, int flags);

    @Override
    public native int connect(int sockfd, long addr, int addrlen);

    @Override
    public native long sendmsg(int sockfd, long msg, int flags);

    @Override
    public native long recvmsg(int sockfd, long msg, int flags);

    @Override
    public native int getsockopt(int sockfd, int level, int optname, long optval, long optlen);

    @Override
    public native String strerror(int errnum);

    // The library's other functions (src/main/c/eventfd_jni.c): the natives above implement the C calls.

    private static native int abiVersion();

    static native long bufferAddress(ByteBuffer buffer);

    /** Zeroed memory from {@code calloc}, as a direct buffer that {@link #free0} releases; null when none. */
    static native @Nullable ByteBuffer allocateZeroed(long size);

    static native void free0(long address);

}
