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

    private final SymbolLookup libc = LINKER.defaultLookup();

    private final ThreadLocal<MemorySegment> state = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private final MethodHandle eventfd;

    private final MethodHandle read;

    private final MethodHandle write;

    private final MethodHandle preadv2;

    private final MethodHandle poll;

    private final MethodHandle epollCreate1;

    private final MethodHandle epollCtl;

    private final MethodHandle epollWait;

    private final MethodHandle close;

    private final MethodHandle getpid;

    private final MethodHandle syscall;

    private final MethodHandle open;

    private final MethodHandle fchmod;

    private final MethodHandle flock;

    private final MethodHandle socket;

    private final MethodHandle bind;

    private final MethodHandle listen;

    private final MethodHandle accept4;

    private final MethodHandle connect;

    private final MethodHandle sendmsg;

    private final MethodHandle recvmsg;

    private final MethodHandle getsockopt;

    private final MethodHandle strerror;

    FfmCalls() {
        this.eventfd = link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        this.read = link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        this.write = link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        this.preadv2 = link("preadv2", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        this.poll = link("poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        this.epollCreate1 = link("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        this.epollCtl = link("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        this.epollWait = link("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
        this.close = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        this.getpid = link("getpid", FunctionDescriptor.of(JAVA_INT));
        this.syscall = link("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), variadicFrom(1));
        this.open = link("open", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), variadicFrom(2));
        this.fchmod = link("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        this.flock = link("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        this.socket = link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        this.bind = link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
        this.listen = link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        this.accept4 = link("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        this.connect = link("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
        this.sendmsg = link("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        this.recvmsg = link("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        this.getsockopt = link("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        this.strerror = link("strerror", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    }

    private MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = this.libc.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no '" + name + "'"));
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    private static Linker.Option variadicFrom(int index) {
        return Linker.Option.firstVariadicArg(index);
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public @Nullable Throwable linkError() {
        // every handle was made in the constructor: a backend that exists can make every call
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
        return (int) ERRNO.get(this.state.get(), 0L);
    }

    @Override
    public int eventfd(int initval, int flags) {
        try {
            return (int) this.eventfd.invokeExact(this.state.get(), initval, flags);
        }
        catch (Throwable ex) {
            throw new AssertionError("eventfd downcall failed", ex);
        }
    }

    @Override
    public long read(int fd, long buf, long count) {
        try {
            return (long) this.read.invokeExact(this.state.get(), fd, buf, count);
        }
        catch (Throwable ex) {
            throw new AssertionError("read downcall failed", ex);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        try {
            return (long) this.write.invokeExact(this.state.get(), fd, buf, count);
        }
        catch (Throwable ex) {
            throw new AssertionError("write downcall failed", ex);
        }
    }

    @Override
    public long preadv2(int fd, long iov, int iovcnt, long offset, int flags) {
        try {
            return (long) this.preadv2.invokeExact(this.state.get(), fd, iov, iovcnt, offset, flags);
        }
        catch (Throwable ex) {
            throw new AssertionError("preadv2 downcall failed", ex);
        }
    }

    @Override
    public int poll(long fds, long nfds, int timeout) {
        try {
            return (int) this.poll.invokeExact(this.state.get(), fds, nfds, timeout);
        }
        catch (Throwable ex) {
            throw new AssertionError("poll downcall failed", ex);
        }
    }

    @Override
    public int epollCreate1(int flags) {
        try {
            return (int) this.epollCreate1.invokeExact(this.state.get(), flags);
        }
        catch (Throwable ex) {
            throw new AssertionError("epoll_create1 downcall failed", ex);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        try {
            return (int) this.epollCtl.invokeExact(this.state.get(), epfd, op, fd, event);
        }
        catch (Throwable ex) {
            throw new AssertionError("epoll_ctl downcall failed", ex);
        }
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeout) {
        try {
            return (int) this.epollWait.invokeExact(this.state.get(), epfd, events, maxEvents, timeout);
        }
        catch (Throwable ex) {
            throw new AssertionError("epoll_wait downcall failed", ex);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) this.close.invokeExact(this.state.get(), fd);
        }
        catch (Throwable ex) {
            throw new AssertionError("close downcall failed", ex);
        }
    }

    @Override
    public int getpid() {
        try {
            return (int) this.getpid.invokeExact(this.state.get());
        }
        catch (Throwable ex) {
            throw new AssertionError("getpid downcall failed", ex);
        }
    }

    @Override
    public long syscall(long number, long a1, long a2, long a3, long a4, long a5) {
        try {
            return (long) this.syscall.invokeExact(this.state.get(), number, a1, a2, a3, a4, a5);
        }
        catch (Throwable ex) {
            throw new AssertionError("syscall downcall failed", ex);
        }
    }

    @Override
    public int open(long pathname, int flags, int mode) {
        try {
            return (int) this.open.invokeExact(this.state.get(), pathname, flags, mode);
        }
        catch (Throwable ex) {
            throw new AssertionError("open downcall failed", ex);
        }
    }

    @Override
    public int fchmod(int fd, int mode) {
        try {
            return (int) this.fchmod.invokeExact(this.state.get(), fd, mode);
        }
        catch (Throwable ex) {
            throw new AssertionError("fchmod downcall failed", ex);
        }
    }

    @Override
    public int flock(int fd, int operation) {
        try {
            return (int) this.flock.invokeExact(this.state.get(), fd, operation);
        }
        catch (Throwable ex) {
            throw new AssertionError("flock downcall failed", ex);
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) this.socket.invokeExact(this.state.get(), domain, type, protocol);
        }
        catch (Throwable ex) {
            throw new AssertionError("socket downcall failed", ex);
        }
    }

    @Override
    public int bind(int sockfd, long addr, int addrlen) {
        try {
            return (int) this.bind.invokeExact(this.state.get(), sockfd, addr, addrlen);
        }
        catch (Throwable ex) {
            throw new AssertionError("bind downcall failed", ex);
        }
    }

    @Override
    public int listen(int sockfd, int backlog) {
        try {
            return (int) this.listen.invokeExact(this.state.get(), sockfd, backlog);
        }
        catch (Throwable ex) {
            throw new AssertionError("listen downcall failed", ex);
        }
    }

    @Override
    public int accept4(int sockfd, long addr, long addrlen, int flags) {
        try {
            return (int) this.accept4.invokeExact(this.state.get(), sockfd, addr, addrlen, flags);
        }
        catch (Throwable ex) {
            throw new AssertionError("accept4 downcall failed", ex);
        }
    }

    @Override
    public int connect(int sockfd, long addr, int addrlen) {
        try {
            return (int) this.connect.invokeExact(this.state.get(), sockfd, addr, addrlen);
        }
        catch (Throwable ex) {
            throw new AssertionError("connect downcall failed", ex);
        }
    }

    @Override
    public long sendmsg(int sockfd, long msg, int flags) {
        try {
            return (long) this.sendmsg.invokeExact(this.state.get(), sockfd, msg, flags);
        }
        catch (Throwable ex) {
            throw new AssertionError("sendmsg downcall failed", ex);
        }
    }

    @Override
    public long recvmsg(int sockfd, long msg, int flags) {
        try {
            return (long) this.recvmsg.invokeExact(this.state.get(), sockfd, msg, flags);
        }
        catch (Throwable ex) {
            throw new AssertionError("recvmsg downcall failed", ex);
        }
    }

    @Override
    public int getsockopt(int sockfd, int level, int optname, long optval, long optlen) {
        try {
            return (int) this.getsockopt.invokeExact(this.state.get(), sockfd, level, optname, optval, optlen);
        }
        catch (Throwable ex) {
            throw new AssertionError("getsockopt downcall failed", ex);
        }
    }

    @Override
    public String strerror(int errnum) {
        long text;
        try {
            text = (long) this.strerror.invokeExact(this.state.get(), errnum);
        }
        catch (Throwable ex) {
            throw new AssertionError("strerror downcall failed", ex);
        }
        return MemorySegment.ofAddress(text).reinterpret(Long.MAX_VALUE).getString(0);
    }
}
