package io.github.eventfd.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The FFM backend (JDK 22 and later): downcall handles to the C library, errno captured into a
 * per-thread segment. Pointers travel as 64-bit addresses, as with JNA. Not API.
 */
final class FfmCalls extends NativeCalls {

    private static final Linker LINKER = Linker.nativeLinker();

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final ThreadLocal<MemorySegment> state = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private final MethodHandle read;

    private final MethodHandle write;

    private final MethodHandle preadv2;

    private final MethodHandle poll;

    private final MethodHandle epollWait;

    private final MethodHandle epollCtl;

    FfmCalls() {
        SymbolLookup libc = LINKER.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        this.read = LINKER.downcallHandle(libc.find("read").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
        this.write = LINKER.downcallHandle(libc.find("write").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
        this.preadv2 = LINKER.downcallHandle(libc.find("preadv2").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), errno);
        this.poll = LINKER.downcallHandle(libc.find("poll").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), errno);
        this.epollWait = LINKER.downcallHandle(libc.find("epoll_wait").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), errno);
        this.epollCtl = LINKER.downcallHandle(libc.find("epoll_ctl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
    }

    @Override
    public String name() {
        return "ffm";
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
    public int epollWait(int epfd, long events, int maxEvents, int timeout) {
        try {
            return (int) this.epollWait.invokeExact(this.state.get(), epfd, events, maxEvents, timeout);
        }
        catch (Throwable ex) {
            throw new AssertionError("epoll_wait downcall failed", ex);
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
    public int lastErrno() {
        return (int) ERRNO.get(this.state.get(), 0L);
    }
}
