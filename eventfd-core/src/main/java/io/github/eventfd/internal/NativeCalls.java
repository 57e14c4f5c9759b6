package io.github.eventfd.internal;

import com.sun.jna.Native;

/**
 * The system calls on the hot path (signal, read, wait), through one of two backends chosen once at
 * startup: the Foreign Function and Memory API on JDK 22 and later when it is built in, JNA otherwise.
 * System property {@code eventfd.native} = {@code auto} (default), {@code jna} or {@code ffm} overrides the
 * choice. Arguments and results are those of the C calls; the errno of a failed call is read with
 * {@link #lastErrno()} on the same thread right after it. Not API.
 */
public abstract class NativeCalls {

    private static final System.Logger logger = System.getLogger(NativeCalls.class.getName());

    /** The backend in use. */
    public static final NativeCalls INSTANCE = choose();

    private static NativeCalls choose() {
        String wanted = System.getProperty("eventfd.native", "auto");
        if (wanted.equals("jna")) {
            return new Jna();
        }
        int feature = Runtime.version().feature();
        if (feature < 22) {
            // the same word as on a JDK where the backend fails to load: asking for FFM never falls back silently
            if (wanted.equals("ffm")) {
                logger.log(System.Logger.Level.WARNING, "eventfd.native=ffm but the FFM backend is not usable here; "
                        + "using JNA: it needs JDK 22 or later and this is JDK " + feature);
            }
            return new Jna();
        }
        try {
            return (NativeCalls) Class.forName("io.github.eventfd.internal.FfmCalls").getDeclaredConstructor()
                    .newInstance();
        }
        catch (Throwable ex) {
            if (wanted.equals("ffm")) {
                logger.log(System.Logger.Level.WARNING, "eventfd.native=ffm but the FFM backend is not usable here; "
                        + "using JNA", ex);
            }
            return new Jna();
        }
    }

    /**
     * Which backend this is.
     * @return {@code "jna"} or {@code "ffm"}
     */
    public abstract String name();

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public abstract long read(int fd, long buf, long count);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    public abstract long write(int fd, long buf, long count);

    /** {@code ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)}. */
    public abstract long preadv2(int fd, long iov, int iovcnt, long offset, int flags);

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    public abstract int poll(long fds, long nfds, int timeout);

    /** {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}. */
    public abstract int epollWait(int epfd, long events, int maxEvents, int timeout);

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}. */
    public abstract int epollCtl(int epfd, int op, int fd, long event);

    /**
     * The errno the last call through this backend left on this thread.
     * @return the errno value
     */
    public abstract int lastErrno();

    /** The JNA backend: {@link LibC}'s direct-mapped methods. */
    static final class Jna extends NativeCalls {

        @Override
        public String name() {
            return "jna";
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
        public int epollWait(int epfd, long events, int maxEvents, int timeout) {
            return LibC.epoll_wait(epfd, events, maxEvents, timeout);
        }

        @Override
        public int epollCtl(int epfd, int op, int fd, long event) {
            return LibC.epoll_ctl(epfd, op, fd, event);
        }

        @Override
        public int lastErrno() {
            return Native.getLastError();
        }
    }
}
