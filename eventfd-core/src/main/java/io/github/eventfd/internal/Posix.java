package io.github.eventfd.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import io.github.eventfd.NativeCallException;
import org.jspecify.annotations.Nullable;

/**
 * One Java method per system call: a failure becomes a {@link NativeCallException}; the outcomes a caller
 * expects (EAGAIN, EINTR) are return values. Not API.
 */
public final class Posix {

    private static final NativeCalls CALLS = NativeCalls.INSTANCE;

    private static final boolean NOWAIT_READS = probeNowaitReads();

    /** The number of kcmp(2) on this architecture, -1 where unknown. */
    private static final long KCMP_SYSCALL = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 312;
        case "aarch64" -> 272;
        default -> -1;
    };

    static {
        // Load the error path now: when the process is out of descriptors (EMFILE) the class loader cannot
        // open a class file, and the typed exception must not turn into a NoClassDefFoundError.
        if (CALLS.linkError() == null) {
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
        Throwable linkError = CALLS.linkError();
        if (linkError != null) {
            return linkError;
        }
        if (CALLS.cLongSize() != 8) {
            return new UnsupportedOperationException("only 64-bit Linux is supported; C long has "
                    + CALLS.cLongSize() + " bytes here");
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
        int flags = Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK | (semaphore ? Linux.EFD_SEMAPHORE : 0);
        int fd = CALLS.eventfd((int) initialValue, flags);
        if (fd < 0) {
            throw new NativeCallException("eventfd", Errno.last(), "initial value " + initialValue);
        }
        return fd;
    }

    /**
     * Read an eventfd counter once without blocking, whatever the descriptor's flags are now: where the
     * kernel supports it (Linux 5.12 and later) with {@code preadv2(RWF_NOWAIT)}, so that a process that
     * shares the descriptor and clears its {@code O_NONBLOCK} cannot make the read wait.
     * @param fd the eventfd
     * @param scratch the calling thread's scratch block
     * @return the value read, unsigned, or 0 when the counter was 0
     */
    public static long readCounter(int fd, Scratch scratch) {
        for (;;) {
            long n = NOWAIT_READS ? CALLS.preadv2(fd, scratch.address() + Scratch.VALUE_IOVEC, 1, -1L, Linux.RWF_NOWAIT)
                    : CALLS.read(fd, scratch.address() + Scratch.VALUE, 8);
            if (n == 8) {
                return scratch.getLong(Scratch.VALUE);
            }
            int errno = CALLS.lastErrno();
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            if (errno != Errno.EINTR) {
                throw new NativeCallException(NOWAIT_READS ? "preadv2" : "read", errno, "eventfd " + fd);
            }
        }
    }

    /**
     * Whether reads of an eventfd cannot wait whatever its flags ({@code preadv2(RWF_NOWAIT)} on an eventfd,
     * Linux 5.12 and later); sharing descriptors with other processes needs it.
     * @return {@code true} where the kernel supports it
     */
    public static boolean nowaitReads() {
        return NOWAIT_READS;
    }

    private static boolean probeNowaitReads() {
        if (CALLS.linkError() != null) {
            return false;
        }
        try (NativeBlock block = CALLS.allocateTemporary(24)) {
            // a blocking eventfd at 0: only RWF_NOWAIT makes this read return (EAGAIN) instead of waiting
            int fd = CALLS.eventfd(0, Linux.EFD_CLOEXEC);
            if (fd < 0) {
                return false;
            }
            try {
                block.setLong(8, block.address());
                block.setLong(16, 8);
                long n = CALLS.preadv2(fd, block.address() + 8, 1, -1L, Linux.RWF_NOWAIT);
                return n < 0 && CALLS.lastErrno() == Errno.EAGAIN;
            }
            finally {
                CALLS.close(fd);
            }
        }
        catch (Throwable ex) {
            return false;
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
     * Wait until one of two descriptors is readable. A signal handled meanwhile does not end the wait: poll is
     * called again for the time that is left.
     * @param scratch the calling thread's scratch block
     * @param fd the first descriptor
     * @param otherFd the second descriptor
     * @param timeoutMillis at most this long, or -1 for no limit
     * @return the number of readable descriptors; 0 only when the whole time-out has passed
     */
    public static int pollIn(Scratch scratch, int fd, int otherFd, int timeoutMillis) {
        scratch.setPollIn(0, fd);
        scratch.setPollIn(1, otherFd);
        long deadline = (timeoutMillis > 0) ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
        int waitMillis = timeoutMillis;
        for (;;) {
            int n = CALLS.poll(scratch.address() + Scratch.POLLFDS, 2, waitMillis);
            if (n >= 0) {
                return n;
            }
            int errno = CALLS.lastErrno();
            if (errno != Errno.EINTR) {
                throw new NativeCallException("poll", errno, "fds " + fd + ", " + otherFd);
            }
            if (timeoutMillis > 0) {
                long remainingNanos = deadline - System.nanoTime();
                if (remainingNanos <= 0) {
                    return 0;
                }
                // rounded up, so that the wait never ends before the deadline
                waitMillis = (int) ((remainingNanos + 999_999) / 1_000_000);
            }
        }
    }

    /**
     * Close a descriptor that no {@link OwnedFd} owns yet (used when a setup step fails half-way).
     * @param fd the descriptor
     */
    public static void closeQuietly(int fd) {
        CALLS.close(fd);
    }

    /**
     * Create an epoll instance, close-on-exec.
     * @return the new descriptor
     */
    public static int epollCreate() {
        int fd = CALLS.epollCreate1(Linux.EPOLL_CLOEXEC);
        if (fd < 0) {
            throw new NativeCallException("epoll_create1", Errno.last(), "");
        }
        return fd;
    }

    /**
     * Add, modify or delete an epoll interest.
     * @param epfd the epoll descriptor
     * @param op {@link Linux#EPOLL_CTL_ADD}, {@link Linux#EPOLL_CTL_MOD} or {@link Linux#EPOLL_CTL_DEL}
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
     * Whether two descriptors of this process refer to the same open file description, by
     * {@code kcmp(KCMP_FILE)}.
     * @param fd1 one descriptor
     * @param fd2 another
     * @return the answer, or empty where the kernel does not let this process ask (no kcmp, or a seccomp
     * filter that refuses it, as container runtimes' default profiles do)
     */
    public static Optional<Boolean> sameOpenFile(int fd1, int fd2) {
        long number = KCMP_SYSCALL;
        if (number < 0) {
            return Optional.empty();
        }
        int pid = CALLS.getpid();
        long result = CALLS.syscall(number, pid, pid, Linux.KCMP_FILE, fd1, fd2);
        if (result < 0) {
            return Optional.empty();
        }
        return Optional.of(result == 0);
    }

    /**
     * Open a file by name, close-on-exec; the descriptor is owned from the moment it exists.
     * @param path the file
     * @param flags the {@code O_} flags ({@link Linux#O_CLOEXEC} is always added)
     * @param mode the permissions of a file {@link Linux#O_CREAT} creates, before the umask narrows them
     * @param kind what the descriptor is, for messages
     * @return the owned descriptor
     */
    public static OwnedFd open(Path path, int flags, int mode, String kind) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        try (NativeBlock pathname = CALLS.allocateTemporary(name.length + 1L)) {
            // zeroed: the terminating zero is there
            pathname.write(0, name, 0, name.length);
            for (;;) {
                int fd = CALLS.open(pathname.address(), flags | Linux.O_CLOEXEC, mode);
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
            if (CALLS.fchmod(number, mode) != 0) {
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
     * @param operation {@link Linux#LOCK_EX} and the like, with {@link Linux#LOCK_NB} to not wait
     * @return {@code false} if {@code LOCK_NB} was given and another open file description holds the lock
     */
    public static boolean flock(OwnedFd fd, int operation) {
        int number = fd.acquire();
        try {
            for (;;) {
                if (CALLS.flock(number, operation) == 0) {
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

    /**
     * Read a small file whole with open(2) and read(2), so that a failure is a {@link NativeCallException}
     * with the kernel's errno (EMFILE when the process is out of descriptors) rather than an
     * {@code IOException} whose cause only its text names.
     * @param path the file, typically under {@code /proc}
     * @return its content, UTF-8
     */
    public static String readSmallFile(Path path) {
        int readOnly = 0; // O_RDONLY
        OwnedFd file = open(path, readOnly, 0, "file");
        try (NativeBlock buffer = CALLS.allocateTemporary(4096)) {
            ByteArrayOutputStream content = new ByteArrayOutputStream(512);
            int number = file.acquire();
            try {
                for (;;) {
                    long n = CALLS.read(number, buffer.address(), buffer.size());
                    if (n == 0) {
                        return content.toString(StandardCharsets.UTF_8);
                    }
                    if (n < 0) {
                        int errno = Errno.last();
                        if (errno != Errno.EINTR) {
                            throw new NativeCallException("read", errno, path.toString());
                        }
                        continue;
                    }
                    content.write(buffer.read(0, (int) n), 0, (int) n);
                }
            }
            finally {
                file.release();
            }
        }
        finally {
            file.close();
        }
    }
}
