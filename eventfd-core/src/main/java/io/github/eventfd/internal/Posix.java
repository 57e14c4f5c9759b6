package io.github.eventfd.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.eventfd.NativeCallException;
import org.jspecify.annotations.Nullable;

/**
 * One Java method per system call: a failure becomes a {@link NativeCallException}; the outcomes a caller
 * expects (EAGAIN, EINTR) are return values. Not API.
 */
public final class Posix {

    private static final NativeCalls CALLS = NativeCalls.INSTANCE;

    static {
        // Load the error path now: when the process is out of descriptors (EMFILE) the class loader cannot
        // open a class file, and the typed exception must not turn into a NoClassDefFoundError.
        if (LibC.linkError() == null) {
            new NativeCallException("eventfd", Errno.EMFILE, "preloading the error path").getMessage();
            Errno.last();
        }
    }

    private Posix() {
    }

    /**
     * Why this JVM cannot make the library's system calls: the C library did not bind, or the platform is
     * not a 64-bit Linux.
     * @return the problem, or {@code null} when there is none
     */
    public static @Nullable Throwable platformProblem() {
        Throwable linkError = LibC.linkError();
        if (linkError != null) {
            return linkError;
        }
        if (Native.LONG_SIZE != 8) {
            return new UnsupportedOperationException("only 64-bit Linux is supported; C long has "
                    + Native.LONG_SIZE + " bytes here");
        }
        return null;
    }

    /**
     * Create an eventfd, always non-blocking and close-on-exec.
     * @param initialValue the initial counter, 0 to 2^32-1
     * @param semaphore whether reads return 1 at a time
     * @return the new descriptor
     */
    public static int eventfd(long initialValue, boolean semaphore) {
        int flags = LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK | (semaphore ? LibC.EFD_SEMAPHORE : 0);
        int fd = LibC.eventfd((int) initialValue, flags);
        if (fd < 0) {
            throw new NativeCallException("eventfd", Errno.last(), "initial value " + initialValue);
        }
        return fd;
    }

    /**
     * Read an eventfd counter once without blocking.
     * @param fd the eventfd
     * @param scratch the calling thread's scratch block
     * @return the value read, unsigned, or 0 when the counter was 0
     */
    public static long readCounter(int fd, Scratch scratch) {
        for (;;) {
            long n = CALLS.read(fd, scratch.address() + Scratch.VALUE, 8);
            if (n == 8) {
                return scratch.getLong(Scratch.VALUE);
            }
            int errno = CALLS.lastErrno();
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            if (errno != Errno.EINTR) {
                throw new NativeCallException("read", errno, "eventfd " + fd);
            }
        }
    }

    /**
     * Add the 8-byte value at an address to an eventfd counter without blocking.
     * @param fd the eventfd
     * @param valueAddress address of the 8-byte value
     * @return {@code true} if added, {@code false} if the kernel refused it because the counter would overflow
     */
    public static boolean writeCounter(int fd, long valueAddress) {
        for (;;) {
            long n = CALLS.write(fd, valueAddress, 8);
            if (n == 8) {
                return true;
            }
            int errno = CALLS.lastErrno();
            if (errno == Errno.EAGAIN) {
                return false;
            }
            if (errno != Errno.EINTR) {
                throw new NativeCallException("write", errno, "eventfd " + fd);
            }
        }
    }

    /**
     * Wait until one of two descriptors is readable.
     * @param scratch the calling thread's scratch block
     * @param fd the first descriptor
     * @param otherFd the second descriptor
     * @param timeoutMillis at most this long, or -1 for no limit
     * @return the number of readable descriptors; 0 on time-out or interruption by a signal handler
     */
    public static int pollIn(Scratch scratch, int fd, int otherFd, int timeoutMillis) {
        scratch.setPollIn(0, fd);
        scratch.setPollIn(1, otherFd);
        int n = CALLS.poll(scratch.address() + Scratch.POLLFDS, 2, timeoutMillis);
        if (n < 0) {
            int errno = CALLS.lastErrno();
            if (errno == Errno.EINTR) {
                return 0;
            }
            throw new NativeCallException("poll", errno, "fds " + fd + ", " + otherFd);
        }
        return n;
    }

    /**
     * Close a descriptor that no {@link OwnedFd} owns yet (used when a setup step fails half-way).
     * @param fd the descriptor
     */
    public static void closeQuietly(int fd) {
        LibC.close(fd);
    }

    /**
     * Create an epoll instance, close-on-exec.
     * @return the new descriptor
     */
    public static int epollCreate() {
        int fd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (fd < 0) {
            throw new NativeCallException("epoll_create1", Errno.last(), "");
        }
        return fd;
    }

    /**
     * Add, modify or delete an epoll interest.
     * @param epfd the epoll descriptor
     * @param op {@link LibC#EPOLL_CTL_ADD}, {@link LibC#EPOLL_CTL_MOD} or {@link LibC#EPOLL_CTL_DEL}
     * @param fd the watched descriptor
     * @param eventAddress address of a filled {@code struct epoll_event} (ignored for DEL)
     */
    public static void epollCtl(int epfd, int op, int fd, long eventAddress) {
        if (CALLS.epollCtl(epfd, op, fd, eventAddress) != 0) {
            throw new NativeCallException("epoll_ctl", CALLS.lastErrno(), "op " + op + ", fd " + fd);
        }
    }

    /**
     * Wait for epoll events.
     * @param epfd the epoll descriptor
     * @param events the array the kernel fills
     * @param timeoutMillis at most this long, or -1 for no limit
     * @return how many events the array now holds; 0 on time-out or interruption by a signal handler
     */
    public static int epollWait(int epfd, EpollEventArray events, int timeoutMillis) {
        int n = CALLS.epollWait(epfd, events.address(), events.capacity(), timeoutMillis);
        if (n < 0) {
            int errno = CALLS.lastErrno();
            if (errno == Errno.EINTR) {
                return 0;
            }
            throw new NativeCallException("epoll_wait", errno, "epoll " + epfd);
        }
        return n;
    }

    /**
     * Open a file by name, close-on-exec; the descriptor is owned from the moment it exists.
     * @param path the file
     * @param flags the {@code O_} flags ({@link LibC#O_CLOEXEC} is always added)
     * @param mode the permissions of a file {@link LibC#O_CREAT} creates, before the umask narrows them
     * @param kind what the descriptor is, for messages
     * @return the owned descriptor
     */
    public static OwnedFd open(Path path, int flags, int mode, String kind) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        try (Memory pathname = new Memory(name.length + 1L)) {
            pathname.write(0, name, 0, name.length);
            pathname.setByte(name.length, (byte) 0);
            for (;;) {
                int fd = LibC.open(Pointer.nativeValue(pathname), flags | LibC.O_CLOEXEC, mode);
                if (fd >= 0) {
                    return new OwnedFd(fd, kind);
                }
                int errno = Errno.last();
                if (errno != Errno.EINTR) {
                    throw new NativeCallException("open", errno, path.toString());
                }
            }
        }
    }

    /**
     * Set the permission bits of an open file, umask-free.
     * @param fd the file
     * @param mode the permission bits
     */
    public static void fchmod(OwnedFd fd, int mode) {
        int number = fd.acquire();
        try {
            if (LibC.fchmod(number, mode) != 0) {
                throw new NativeCallException("fchmod", Errno.last(), fd + " to " + Integer.toOctalString(mode));
            }
        }
        finally {
            fd.release();
        }
    }

    /**
     * Take or drop a {@code flock(2)} lock, which belongs to the open file description.
     * @param fd the file
     * @param operation {@link LibC#LOCK_EX} and the like, with {@link LibC#LOCK_NB} to not wait
     * @return {@code false} if {@code LOCK_NB} was given and another open file description holds the lock
     */
    public static boolean flock(OwnedFd fd, int operation) {
        int number = fd.acquire();
        try {
            for (;;) {
                if (LibC.flock(number, operation) == 0) {
                    return true;
                }
                int errno = Errno.last();
                if (errno == Errno.EAGAIN) {
                    return false;
                }
                if (errno != Errno.EINTR) {
                    throw new NativeCallException("flock", errno, fd + " operation " + operation);
                }
            }
        }
        finally {
            fd.release();
        }
    }
}
