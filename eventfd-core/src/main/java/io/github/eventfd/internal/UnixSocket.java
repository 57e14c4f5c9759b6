package io.github.eventfd.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.eventfd.NativeCallException;
import org.jspecify.annotations.Nullable;

/**
 * A Unix domain {@code SOCK_SEQPACKET} socket that sends and receives small messages with descriptors
 * attached ({@code SCM_RIGHTS}), for 64-bit Linux.
 *
 * <p>Hygiene, as fd passing needs it: every message carries a payload of at least one byte; the control
 * buffer is sized for exactly {@link #MAX_RECEIVED_FDS} descriptors; a truncated payload or control buffer
 * is reported, and every descriptor that arrived is closed unless the caller takes it; received
 * descriptors are close-on-exec. Not API.
 */
public final class UnixSocket implements AutoCloseable {

    /** Largest payload sent or accepted. */
    public static final int MAX_PAYLOAD = 512;

    /** Most descriptors one receive makes room for; more sets MSG_CTRUNC and the message is refused. */
    public static final int MAX_RECEIVED_FDS = 4;

    /** Longest socket path: sun_path holds 108 bytes with the terminating zero. */
    public static final int MAX_PATH_BYTES = 107;

    private static final int SOCKADDR_UN_SIZE = 110;

    private static final int MSGHDR_SIZE = 56;

    private static final int IOVEC_SIZE = 16;

    private static final int CMSGHDR_SIZE = 16;

    private static final NativeCalls CALLS = NativeCalls.INSTANCE;

    private final OwnedFd fd;

    private UnixSocket(int fd) {
        this.fd = new OwnedFd(fd, "unix-socket");
    }

    /**
     * Bind and listen on {@code path}, owner-only; the caller makes sure no live socket is there.
     * @param path the socket file
     * @param backlog the listen backlog
     * @return the listening socket
     */
    public static UnixSocket listen(Path path, int backlog) {
        return listen(path, backlog, 0600);
    }

    /**
     * Bind and listen on {@code path}, the socket file's permissions in force from the moment it exists; the
     * caller makes sure nothing is there.
     *
     * <p>bind(2) gives the new file the mode of the socket itself, which fchmod sets first, narrowed by the
     * umask. Bits the umask took are given back before listen(2), through an {@code O_PATH} handle on the file
     * checked to be a socket, never through its name: the file is never wider than {@code mode}, and no file
     * swapped in at the name can receive it.
     * @param path the socket file
     * @param backlog the listen backlog
     * @param mode the permission bits of the socket file
     * @return the listening socket
     */
    public static UnixSocket listen(Path path, int backlog, int mode) {
        int fd = newSocket(Linux.SOCK_NONBLOCK);
        try (NativeBlock address = sockaddr(path)) {
            if (CALLS.fchmod(fd, mode) != 0) {
                throw new NativeCallException("fchmod", Errno.last(), "unix socket to be bound to " + path);
            }
            if (CALLS.bind(fd, address.address(), (int) address.size()) != 0) {
                throw new NativeCallException("bind", Errno.last(), path.toString());
            }
            restoreMaskedBits(path, mode);
            if (CALLS.listen(fd, backlog) != 0) {
                throw new NativeCallException("listen", Errno.last(), path.toString());
            }
            return new UnixSocket(fd);
        }
        catch (RuntimeException ex) {
            Posix.closeQuietly(fd);
            throw ex;
        }
    }

    private static void restoreMaskedBits(Path path, int mode) {
        OwnedFd file = Posix.open(path, Linux.O_PATH | Linux.O_NOFOLLOW, 0, "socket-file");
        try {
            FileStat stat = FileStat.of(file);
            if (!stat.isSocket()) {
                throw new IllegalStateException("bound " + path + " but found " + stat.describe() + " there");
            }
            if (stat.permissions() != mode) {
                int number = file.acquire();
                try {
                    // chmod(2) of the descriptor's /proc link reaches the file it holds, whatever the name holds now
                    Files.setAttribute(Path.of("/proc/self/fd/" + number), "unix:mode", mode);
                }
                finally {
                    file.release();
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot give " + path + " mode " + FileStat.octal(mode), ex);
        }
        finally {
            file.close();
        }
    }

    /**
     * Connect to {@code path}; blocking until connected or refused. For tools and tests: the library's own
     * client uses {@link #connectNonBlocking(Path)}.
     * @param path the socket file
     * @return the connected socket (blocking)
     * @throws NativeCallException with ECONNREFUSED or ENOENT when nobody listens there
     */
    public static UnixSocket connect(Path path) {
        return connect(path, 0);
    }

    /**
     * Connect to {@code path} without ever waiting: a server whose backlog is full answers EAGAIN at once
     * instead of holding the caller, which may then try again later or give up at its own deadline.
     * @param path the socket file
     * @return the connected socket, non-blocking: wait for it with poll before receiving
     * @throws NativeCallException with ECONNREFUSED or ENOENT when nobody listens there, EAGAIN when the
     * server's backlog is full
     */
    public static UnixSocket connectNonBlocking(Path path) {
        return connect(path, Linux.SOCK_NONBLOCK);
    }

    private static UnixSocket connect(Path path, int flags) {
        int fd = newSocket(flags);
        try (NativeBlock address = sockaddr(path)) {
            if (CALLS.connect(fd, address.address(), (int) address.size()) != 0) {
                throw new NativeCallException("connect", Errno.last(), path.toString());
            }
            return new UnixSocket(fd);
        }
        catch (RuntimeException ex) {
            Posix.closeQuietly(fd);
            throw ex;
        }
    }

    private static int newSocket(int flags) {
        int fd = CALLS.socket(Linux.AF_UNIX, Linux.SOCK_SEQPACKET | Linux.SOCK_CLOEXEC | flags, 0);
        if (fd < 0) {
            throw new NativeCallException("socket", Errno.last(), "AF_UNIX SOCK_SEQPACKET");
        }
        return fd;
    }

    private static NativeBlock sockaddr(Path path) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("socket path '" + path + "' has " + bytes.length
                    + " bytes; at most " + MAX_PATH_BYTES + " fit in sun_path");
        }
        NativeBlock address = CALLS.allocateTemporary(SOCKADDR_UN_SIZE);
        address.setShort(0, (short) Linux.AF_UNIX);
        address.write(2, bytes, 0, bytes.length);
        return address;
    }

    /**
     * Accept one pending connection, non-blocking and close-on-exec.
     * @return the connection, or {@code null} when none is pending
     */
    public @Nullable UnixSocket accept() {
        int number = this.fd.acquire();
        try {
            int client = CALLS.accept4(number, 0L, 0L, Linux.SOCK_NONBLOCK | Linux.SOCK_CLOEXEC);
            if (client < 0) {
                int errno = Errno.last();
                if (errno == Errno.EAGAIN || errno == Errno.EINTR || errno == 103 /* ECONNABORTED */) {
                    return null;
                }
                throw new NativeCallException("accept4", errno, "unix socket " + number);
            }
            return new UnixSocket(client);
        }
        finally {
            this.fd.release();
        }
    }

    /**
     * The credentials of the process at the other end, as the kernel recorded them at connect time.
     * @return pid, uid and gid
     */
    public Credentials peerCredentials() {
        int number = this.fd.acquire();
        try (NativeBlock ucred = CALLS.allocateTemporary(12); NativeBlock length = CALLS.allocateTemporary(4)) {
            length.setInt(0, 12);
            if (CALLS.getsockopt(number, Linux.SOL_SOCKET, Linux.SO_PEERCRED, ucred.address(),
                    length.address()) != 0) {
                throw new NativeCallException("getsockopt", Errno.last(), "SO_PEERCRED");
            }
            return new Credentials(ucred.getInt(0), ucred.getInt(4), ucred.getInt(8));
        }
        finally {
            this.fd.release();
        }
    }

    /**
     * Send one message without descriptors.
     * @param payload 1 to {@link #MAX_PAYLOAD} bytes
     * @return {@code false} if the peer is gone (EPIPE, ECONNRESET) or would block
     */
    public boolean send(byte[] payload) {
        return send(payload, new int[0]);
    }

    /**
     * Send one message, with at most one descriptor attached; the descriptor stays the caller's.
     * @param payload 1 to {@link #MAX_PAYLOAD} bytes
     * @param attached a descriptor to pass, or {@code null}
     * @return {@code false} if the peer is gone (EPIPE, ECONNRESET) or would block
     */
    public boolean send(byte[] payload, @Nullable OwnedFd attached) {
        if (attached == null) {
            return send(payload, new int[0]);
        }
        int number = attached.acquire();
        try {
            return send(payload, new int[] { number });
        }
        finally {
            attached.release();
        }
    }

    /**
     * Send one message with any number of descriptors attached (tests use it to send what the protocol
     * forbids).
     * @param payload 1 to {@link #MAX_PAYLOAD} bytes
     * @param attachedFds the descriptors to pass
     * @return {@code false} if the peer is gone (EPIPE, ECONNRESET) or would block
     */
    public boolean send(byte[] payload, int[] attachedFds) {
        if (payload.length == 0 || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload must be 1 to " + MAX_PAYLOAD + " bytes but was " + payload.length);
        }
        int number = this.fd.acquire();
        try (NativeBlock data = CALLS.allocateTemporary(payload.length);
                NativeBlock iov = CALLS.allocateTemporary(IOVEC_SIZE);
                NativeBlock msg = CALLS.allocateTemporary(MSGHDR_SIZE);
                NativeBlock control = CALLS.allocateTemporary(cmsgSpace(Math.max(1, attachedFds.length)))) {
            data.write(0, payload, 0, payload.length);
            iov.setLong(0, data.address());
            iov.setLong(8, payload.length);
            msg.setLong(16, iov.address());
            msg.setLong(24, 1);
            if (attachedFds.length > 0) {
                control.setLong(0, cmsgLen(attachedFds.length));
                control.setInt(8, Linux.SOL_SOCKET);
                control.setInt(12, Linux.SCM_RIGHTS);
                for (int i = 0; i < attachedFds.length; i++) {
                    control.setInt(CMSGHDR_SIZE + 4L * i, attachedFds[i]);
                }
                msg.setLong(32, control.address());
                msg.setLong(40, cmsgSpace(attachedFds.length));
            }
            for (;;) {
                long sent = CALLS.sendmsg(number, msg.address(), Linux.MSG_NOSIGNAL);
                if (sent >= 0) {
                    return true;
                }
                int errno = Errno.last();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN || errno == 32 /* EPIPE */ || errno == 104 /* ECONNRESET */
                        || errno == 107 /* ENOTCONN */) {
                    return false;
                }
                throw new NativeCallException("sendmsg", errno, "unix socket " + number);
            }
        }
        finally {
            this.fd.release();
        }
    }

    /**
     * Receive one message and the descriptors attached to it.
     * @return what arrived; {@link Received#endOfStream()} when the peer closed, {@code null} when nothing
     * is there yet on a non-blocking socket
     */
    public @Nullable Received receive() {
        int number = this.fd.acquire();
        int controlSize = cmsgSpace(MAX_RECEIVED_FDS);
        try (NativeBlock data = CALLS.allocateTemporary(MAX_PAYLOAD);
                NativeBlock iov = CALLS.allocateTemporary(IOVEC_SIZE);
                NativeBlock msg = CALLS.allocateTemporary(MSGHDR_SIZE);
                NativeBlock control = CALLS.allocateTemporary(controlSize)) {
            iov.setLong(0, data.address());
            iov.setLong(8, MAX_PAYLOAD);
            msg.setLong(16, iov.address());
            msg.setLong(24, 1);
            msg.setLong(32, control.address());
            msg.setLong(40, controlSize);
            long received;
            boolean reset = false;
            for (;;) {
                received = CALLS.recvmsg(number, msg.address(), Linux.MSG_CMSG_CLOEXEC);
                if (received >= 0) {
                    break;
                }
                int errno = Errno.last();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN) {
                    // after a reset, nothing more is queued: the peer is gone
                    return reset ? Received.END : null;
                }
                if (errno == 104 /* ECONNRESET */) {
                    // A peer that closed with our message unread makes the kernel report ECONNRESET once, ahead
                    // of what it sent before closing (a refusal's reason): the error is consumed by reporting
                    // it, so read again for what is still queued.
                    if (reset) {
                        return Received.END;
                    }
                    reset = true;
                    continue;
                }
                throw new NativeCallException("recvmsg", errno, "unix socket " + number);
            }
            int flags = msg.getInt(48);
            List<OwnedFd> fds = readRights(control, msg.getLong(40));
            if (received == 0 && fds.isEmpty()) {
                return Received.END;
            }
            byte[] payload = data.read(0, (int) received);
            return new Received(payload, fds, (flags & Linux.MSG_TRUNC) != 0, (flags & Linux.MSG_CTRUNC) != 0);
        }
        finally {
            this.fd.release();
        }
    }

    /** Every descriptor becomes an owned handle the moment it is seen, so exactly one close ever follows. */
    private static List<OwnedFd> readRights(NativeBlock control, long controlLength) {
        List<OwnedFd> fds = new ArrayList<>();
        long offset = 0;
        while (offset + CMSGHDR_SIZE <= controlLength) {
            long length = control.getLong(offset);
            if (length < CMSGHDR_SIZE || offset + length > controlLength) {
                break;
            }
            int level = control.getInt(offset + 8);
            int type = control.getInt(offset + 12);
            if (level == Linux.SOL_SOCKET && type == Linux.SCM_RIGHTS) {
                for (long at = offset + CMSGHDR_SIZE; at + 4 <= offset + length; at += 4) {
                    fds.add(new OwnedFd(control.getInt(at), "received-fd"));
                }
            }
            offset += align(length);
        }
        return fds;
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }

    private static int cmsgLen(int fds) {
        return CMSGHDR_SIZE + 4 * fds;
    }

    private static int cmsgSpace(int fds) {
        return CMSGHDR_SIZE + (int) align(4L * fds);
    }

    /**
     * Start using the descriptor number, for epoll registration.
     * @return the number
     */
    public int acquire() {
        return this.fd.acquire();
    }

    /**
     * The owned descriptor, for callers that hold it across many calls (an epoll set).
     * @return the descriptor
     */
    public OwnedFd descriptor() {
        return this.fd;
    }

    /** Stop using the descriptor number. */
    public void release() {
        this.fd.release();
    }

    @Override
    public void close() {
        this.fd.close();
    }

    @Override
    public String toString() {
        return this.fd.toString();
    }

    /**
     * Process credentials.
     * @param pid process id
     * @param uid user id
     * @param gid group id
     */
    public record Credentials(int pid, int uid, int gid) {
    }

    /**
     * One received message.
     * @param payload the bytes
     * @param fds the descriptors that arrived, each already owned: the receiver hands each on to exactly one
     * new owner or closes it
     * @param truncated whether the payload was longer than {@link #MAX_PAYLOAD}
     * @param controlTruncated whether descriptors were dropped for lack of room (MSG_CTRUNC)
     */
    public record Received(byte[] payload, List<OwnedFd> fds, boolean truncated, boolean controlTruncated) {

        static final Received END = new Received(new byte[0], List.of(), false, false);

        /**
         * Whether the peer closed the connection.
         * @return {@code true} at end of stream
         */
        public boolean endOfStream() {
            return this == END;
        }

        /** Close every descriptor that arrived and was not handed on; closing one twice does nothing. */
        public void closeFds() {
            this.fds.forEach(OwnedFd::close);
        }
    }
}
