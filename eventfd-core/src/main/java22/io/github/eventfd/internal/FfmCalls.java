package io.github.eventfd.internal;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The FFM backend (JDK 22 and later): downcall handles to the C library for every call this project makes,
 * errno captured into a per-thread segment, memory from arenas. Pointers travel as 64-bit addresses, as with
 * JNA; so does the {@code char *} strerror returns. Each function descriptor has an entry in eventfd-core's
 * {@code reachability-metadata.json}, for GraalVM Native Image. Not API.
 */
final class FfmCalls extends NativeCalls {

    private static final Linker LINKER = Linker.nativeLinker();

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /**
     * The one shape every fixed-arity function is called through: six 64-bit integer arguments, a 64-bit
     * result. One shape is one stub for the linker to make: each further shape costs milliseconds of startup.
     */
    private static final FunctionDescriptor SHAPE = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(CAPTURE));

    /** Every C function of this backend, by its name in the C library. */
    private static final String[] FUNCTIONS = {
            "eventfd", "read", "write", "preadv2", "poll", "epoll_create1", "epoll_ctl", "epoll_wait", "close",
            "getpid", "syscall", "open", "fchmod", "flock", "socket", "bind", "listen", "accept4", "connect",
            "sendmsg", "recvmsg", "getsockopt", "strerror" };

    /**
     * Finds every C function the backend calls, so that a C library without one fails here, once; the downcall
     * handles themselves are made on first use (each costs milliseconds to make, and most applications use few).
     */
    FfmCalls() {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("aarch64")) {
            // calling through one shape (see link) is sound on these two calling conventions, checked for none other
            throw new UnsupportedOperationException("the FFM backend supports x86-64 and AArch64, not " + arch);
        }
        for (String name : FUNCTIONS) {
            symbol(name);
        }
        // Finding a symbol is not restricted, making a handle is: where native access is denied
        // (--illegal-native-access=deny) this throws here, so that the choice falls back, rather than on first use.
        // strerror's handle costs nothing more: Posix makes it at startup, to load its error path.
        Objects.requireNonNull(Strerror.HANDLE);
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("the C library has no '" + name + "'"));
    }

    /**
     * A handle to a C function of fixed arity, called through {@link #SHAPE}: on x86-64 and AArch64 Linux
     * integer arguments travel in registers, a function ignores the registers past its own arguments and the
     * upper half of a 32-bit one, and a 32-bit result is the lower half of the result register (the caller
     * narrows it), so one stub serves every such function.
     * @param name the function's name in the C library
     * @param signature its C signature: what the caller narrows arguments and result to; at most six arguments
     */
    private static MethodHandle link(String name, FunctionDescriptor signature) {
        if (signature.argumentLayouts().size() > SHAPE.argumentLayouts().size()) {
            throw new IllegalArgumentException("'" + name + "' takes more arguments than the shape carries");
        }
        return LINKER.downcallHandle(symbol(name), SHAPE, CAPTURE_ERRNO);
    }

    /** A handle to a variadic C function, linked with its own descriptor. */
    private static MethodHandle linkVariadic(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public @Nullable Throwable linkError() {
        // every function was found in the constructor: a backend that exists can make every call
        return null;
    }

    @Override
    public int cLongSize() {
        MemoryLayout cLong = LINKER.canonicalLayouts().get("long");
        return (cLong != null) ? (int) cLong.byteSize() : (int) AddressLayout.ADDRESS.byteSize();
    }

    @Override
    public NativeBlock allocate(long size) {
        return FfmBlock.lasting(size);
    }

    @Override
    public NativeBlock allocateTemporary(long size) {
        return FfmBlock.temporary(size);
    }

    @Override
    public int lastErrno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    @Override
    public int eventfd(int initval, int flags) {
        try {
            return (int) (long) Eventfd.HANDLE.invokeExact(STATE.get(), (long) initval, (long) flags, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("eventfd downcall failed", ex);
        }
    }

    @Override
    public long read(int fd, long buf, long count) {
        try {
            return (long) Read.HANDLE.invokeExact(STATE.get(), (long) fd, buf, count, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("read downcall failed", ex);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        try {
            return (long) Write.HANDLE.invokeExact(STATE.get(), (long) fd, buf, count, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("write downcall failed", ex);
        }
    }

    @Override
    public long preadv2(int fd, long iov, int iovcnt, long offset, int flags) {
        try {
            return (long) Preadv2.HANDLE.invokeExact(STATE.get(), (long) fd, iov, (long) iovcnt, offset, (long) flags, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("preadv2 downcall failed", ex);
        }
    }

    @Override
    public int poll(long fds, long nfds, int timeout) {
        try {
            return (int) (long) Poll.HANDLE.invokeExact(STATE.get(), fds, nfds, (long) timeout, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("poll downcall failed", ex);
        }
    }

    @Override
    public int epollCreate1(int flags) {
        try {
            return (int) (long) EpollCreate1.HANDLE.invokeExact(STATE.get(), (long) flags, 0L, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("epoll_create1 downcall failed", ex);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        try {
            return (int) (long) EpollCtl.HANDLE.invokeExact(STATE.get(), (long) epfd, (long) op, (long) fd, event, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("epoll_ctl downcall failed", ex);
        }
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeout) {
        try {
            return (int) (long) EpollWait.HANDLE.invokeExact(STATE.get(), (long) epfd, events, (long) maxEvents, (long) timeout, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("epoll_wait downcall failed", ex);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) (long) Close.HANDLE.invokeExact(STATE.get(), (long) fd, 0L, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("close downcall failed", ex);
        }
    }

    @Override
    public int getpid() {
        try {
            return (int) (long) Getpid.HANDLE.invokeExact(STATE.get(), 0L, 0L, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("getpid downcall failed", ex);
        }
    }

    @Override
    public long syscall(long number, long a1, long a2, long a3, long a4, long a5) {
        try {
            return (long) Syscall.HANDLE.invokeExact(STATE.get(), number, a1, a2, a3, a4, a5);
        }
        catch (Throwable ex) {
            throw new AssertionError("syscall downcall failed", ex);
        }
    }

    @Override
    public int open(long pathname, int flags, int mode) {
        try {
            return (int) Open.HANDLE.invokeExact(STATE.get(), pathname, flags, mode);
        }
        catch (Throwable ex) {
            throw new AssertionError("open downcall failed", ex);
        }
    }

    @Override
    public int fchmod(int fd, int mode) {
        try {
            return (int) (long) Fchmod.HANDLE.invokeExact(STATE.get(), (long) fd, (long) mode, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("fchmod downcall failed", ex);
        }
    }

    @Override
    public int flock(int fd, int operation) {
        try {
            return (int) (long) Flock.HANDLE.invokeExact(STATE.get(), (long) fd, (long) operation, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("flock downcall failed", ex);
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) (long) Socket.HANDLE.invokeExact(STATE.get(), (long) domain, (long) type, (long) protocol, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("socket downcall failed", ex);
        }
    }

    @Override
    public int bind(int sockfd, long addr, int addrlen) {
        try {
            return (int) (long) Bind.HANDLE.invokeExact(STATE.get(), (long) sockfd, addr, (long) addrlen, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("bind downcall failed", ex);
        }
    }

    @Override
    public int listen(int sockfd, int backlog) {
        try {
            return (int) (long) Listen.HANDLE.invokeExact(STATE.get(), (long) sockfd, (long) backlog, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("listen downcall failed", ex);
        }
    }

    @Override
    public int accept4(int sockfd, long addr, long addrlen, int flags) {
        try {
            return (int) (long) Accept4.HANDLE.invokeExact(STATE.get(), (long) sockfd, addr, addrlen, (long) flags, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("accept4 downcall failed", ex);
        }
    }

    @Override
    public int connect(int sockfd, long addr, int addrlen) {
        try {
            return (int) (long) Connect.HANDLE.invokeExact(STATE.get(), (long) sockfd, addr, (long) addrlen, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("connect downcall failed", ex);
        }
    }

    @Override
    public long sendmsg(int sockfd, long msg, int flags) {
        try {
            return (long) Sendmsg.HANDLE.invokeExact(STATE.get(), (long) sockfd, msg, (long) flags, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("sendmsg downcall failed", ex);
        }
    }

    @Override
    public long recvmsg(int sockfd, long msg, int flags) {
        try {
            return (long) Recvmsg.HANDLE.invokeExact(STATE.get(), (long) sockfd, msg, (long) flags, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("recvmsg downcall failed", ex);
        }
    }

    @Override
    public int getsockopt(int sockfd, int level, int optname, long optval, long optlen) {
        try {
            return (int) (long) Getsockopt.HANDLE.invokeExact(STATE.get(), (long) sockfd, (long) level, (long) optname, optval, optlen, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("getsockopt downcall failed", ex);
        }
    }

    @Override
    public String strerror(int errnum) {
        long text;
        try {
            text = (long) Strerror.HANDLE.invokeExact(STATE.get(), (long) errnum, 0L, 0L, 0L, 0L, 0L);
        }
        catch (Throwable ex) {
            throw new AssertionError("strerror downcall failed", ex);
        }
        return MemorySegment.ofAddress(text).reinterpret(Long.MAX_VALUE).getString(0);
    }

    // One holder class per function: the JVM makes a handle when its holder is first used, and a static final
    // handle is a constant to the JIT compiler.

    private static final class Eventfd {

        static final MethodHandle HANDLE = link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Read {

        static final MethodHandle HANDLE = link("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class Write {

        static final MethodHandle HANDLE = link("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class Preadv2 {

        static final MethodHandle HANDLE = link("preadv2",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Poll {

        static final MethodHandle HANDLE = link("poll",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    private static final class EpollCreate1 {

        static final MethodHandle HANDLE = link("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class EpollCtl {

        static final MethodHandle HANDLE = link("epoll_ctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class EpollWait {

        static final MethodHandle HANDLE = link("epoll_wait",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    }

    private static final class Close {

        static final MethodHandle HANDLE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Getpid {

        static final MethodHandle HANDLE = link("getpid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class Syscall {

        static final MethodHandle HANDLE = linkVariadic("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    }

    private static final class Open {

        static final MethodHandle HANDLE = linkVariadic("open",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), 2);
    }

    private static final class Fchmod {

        static final MethodHandle HANDLE = link("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Flock {

        static final MethodHandle HANDLE = link("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Socket {

        static final MethodHandle HANDLE = link("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Bind {

        static final MethodHandle HANDLE = link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Listen {

        static final MethodHandle HANDLE = link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Accept4 {

        static final MethodHandle HANDLE = link("accept4",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    private static final class Connect {

        static final MethodHandle HANDLE = link("connect",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Sendmsg {

        static final MethodHandle HANDLE = link("sendmsg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Recvmsg {

        static final MethodHandle HANDLE = link("recvmsg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Getsockopt {

        static final MethodHandle HANDLE = link("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class Strerror {

        static final MethodHandle HANDLE = link("strerror", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    }
}
