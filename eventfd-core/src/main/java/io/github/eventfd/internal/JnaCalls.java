package io.github.eventfd.internal;

import com.sun.jna.Native;
import org.jspecify.annotations.Nullable;

/** The JNA backend (JDK 17 and later): {@link LibC}'s direct-mapped methods and JNA memory. Not API. */
final class JnaCalls extends NativeCalls {

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public @Nullable Throwable linkError() {
        return LibC.linkError();
    }

    @Override
    public int cLongSize() {
        return Native.LONG_SIZE;
    }

    @Override
    public NativeBlock allocate(long size) {
        return new JnaBlock(size);
    }

    @Override
    public NativeBlock allocateTemporary(long size) {
        return new JnaBlock(size);
    }

    @Override
    public int lastErrno() {
        return Native.getLastError();
    }

    @Override
    public int eventfd(int initval, int flags) {
        return LibC.eventfd(initval, flags);
    }

    @Override
    public long read(int fd, long buf, long count) {
        return LibC.read(fd, buf, count);
    }

    @Override
    public long write(int fd, long buf, long count) {
        return LibC.write(fd, buf, count);
    }

    @Override
    public long preadv2(int fd, long iov, int iovcnt, long offset, int flags) {
        return LibC.preadv2(fd, iov, iovcnt, offset, flags);
    }

    @Override
    public int poll(long fds, long nfds, int timeout) {
        return LibC.poll(fds, nfds, timeout);
    }

    @Override
    public int epollCreate1(int flags) {
        return LibC.epoll_create1(flags);
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return LibC.epoll_ctl(epfd, op, fd, event);
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeout) {
        return LibC.epoll_wait(epfd, events, maxEvents, timeout);
    }

    @Override
    public int close(int fd) {
        return LibC.close(fd);
    }

    @Override
    public int getpid() {
        return LibC.getpid();
    }

    @Override
    public long syscall(long number, long a1, long a2, long a3, long a4, long a5) {
        return LibC.syscall(number, a1, a2, a3, a4, a5);
    }

    @Override
    public int open(long pathname, int flags, int mode) {
        return LibC.open(pathname, flags, mode);
    }

    @Override
    public int fchmod(int fd, int mode) {
        return LibC.fchmod(fd, mode);
    }

    @Override
    public int flock(int fd, int operation) {
        return LibC.flock(fd, operation);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return LibC.socket(domain, type, protocol);
    }

    @Override
    public int bind(int sockfd, long addr, int addrlen) {
        return LibC.bind(sockfd, addr, addrlen);
    }

    @Override
    public int listen(int sockfd, int backlog) {
        return LibC.listen(sockfd, backlog);
    }

    @Override
    public int accept4(int sockfd, long addr, long addrlen, int flags) {
        return LibC.accept4(sockfd, addr, addrlen, flags);
    }

    @Override
    public int connect(int sockfd, long addr, int addrlen) {
        return LibC.connect(sockfd, addr, addrlen);
    }

    @Override
    public long sendmsg(int sockfd, long msg, int flags) {
        return LibC.sendmsg(sockfd, msg, flags);
    }

    @Override
    public long recvmsg(int sockfd, long msg, int flags) {
        return LibC.recvmsg(sockfd, msg, flags);
    }

    @Override
    public int getsockopt(int sockfd, int level, int optname, long optval, long optlen) {
        return LibC.getsockopt(sockfd, level, optname, optval, optlen);
    }

    @Override
    public String strerror(int errnum) {
        return LibC.strerror(errnum);
    }
}
