package io.github.eventfd.share;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.OptionalInt;
import java.util.Set;

import io.github.eventfd.NativeCallException;
import io.github.eventfd.internal.FileStat;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import org.jspecify.annotations.Nullable;

/**
 * The lock file beside a shared channel's socket ({@code <socket>.lock}): the process holding it serves the
 * socket, and only it removes a socket file left there.
 *
 * <p>The lock is {@code flock(2)} {@code LOCK_EX | LOCK_NB} on this object's own descriptor. It belongs to
 * that open file description, so two channels on one socket in one JVM contend like two processes; the
 * kernel drops it when the descriptor is closed or its process dies, however it dies, so a crashed server
 * never blocks a takeover. A POSIX record lock ({@code fcntl}, what earlier versions took) does not conflict
 * with it.
 *
 * <p>The file is opened without following a symbolic link and without blocking (a FIFO planted at its name
 * cannot stall the channel), created owner-only, and used only if it is a regular file of this process's uid.
 * Not thread-safe: the channel uses it from its own thread and, once that thread has stopped, from close.
 */
final class ServeLock {

    private static final int MODE = 0600;

    private final Path socket;

    private final Path path;

    private final Set<PosixFilePermission> permissions;

    private @Nullable OwnedFd file;

    private boolean held;

    /**
     * @param socket the channel's socket path
     * @param permissions the socket's permissions, which decide who may search a socket directory created here
     */
    ServeLock(Path socket, Set<PosixFilePermission> permissions) {
        this.socket = socket;
        this.path = socket.resolveSibling(socket.getFileName() + ".lock");
        this.permissions = permissions;
    }

    Path path() {
        return this.path;
    }

    /**
     * Take the lock if nobody holds it, creating the socket's directory and the lock file when missing.
     * @return whether this process holds the lock now
     * @throws AccessDeniedException if this process may not use the lock file (another user's files)
     * @throws ShareException if the directory or what is at the lock file's name cannot be trusted, or the
     * lock cannot be used for another reason
     */
    boolean tryAcquire() throws AccessDeniedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            OwnedFd current = this.file;
            if (current == null) {
                OptionalInt owner = SocketDirectory.foreignOwner(this.socket);
                if (owner.isPresent()) {
                    throw new AccessDeniedException(this.path.toString(), null, "the socket directory belongs to uid "
                            + owner.getAsInt() + ", so only that uid serves here");
                }
                SocketDirectory.prepare(this.socket, this.permissions, true);
                current = open();
                this.file = current;
            }
            try {
                this.held = Posix.flock(current, Linux.LOCK_EX | Linux.LOCK_NB);
            }
            catch (NativeCallException ex) {
                throw new ShareException(ShareErrorReason.IO, "cannot lock " + this.path + ": " + ex.getMessage(), ex);
            }
            if (!this.held || stillNamed()) {
                return this.held;
            }
            // the file was removed or replaced between open and lock: a lock on it excludes nobody
            release();
        }
        return false;
    }

    /**
     * Whether this process holds the lock on the file the lock path names now: deleting the lock file (as
     * a cleaner of old files in /tmp does) or replacing it lets another process lock a new one, and then
     * this one must step down.
     * @return {@code true} while the lock it holds is the lock everybody else sees
     */
    boolean stillHeld() {
        return this.held && stillNamed();
    }

    private boolean stillNamed() {
        OwnedFd current = this.file;
        if (current == null) {
            return false;
        }
        try {
            return FileStat.of(current).sameFileAs(FileStat.of(this.path, LinkOption.NOFOLLOW_LINKS));
        }
        catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    private OwnedFd open() throws AccessDeniedException {
        OwnedFd opened;
        try {
            // O_CREAT's mode is in force from the first instant; the umask can only narrow it
            opened = Posix.open(this.path, Linux.O_RDWR | Linux.O_CREAT | Linux.O_NOFOLLOW | Linux.O_NONBLOCK
                    | Linux.O_NOCTTY, MODE, "lock-file");
        }
        catch (NativeCallException ex) {
            switch (ex.errnoName()) {
                case "EACCES", "EPERM" -> throw new AccessDeniedException(this.path.toString(), null, ex.getMessage());
                case "ELOOP", "EISDIR" -> throw untrusted(describe(this.path));
                default -> throw new ShareException(ShareErrorReason.IO, "cannot open lock file " + this.path + ": "
                        + ex.getMessage(), ex);
            }
        }
        try {
            FileStat stat = FileStat.of(opened);
            if (!stat.isRegularFile()) {
                throw untrusted(stat.describe());
            }
            int uid = SharedChannel.currentUid();
            if (stat.uid() != uid) {
                throw new AccessDeniedException(this.path.toString(), null, "the lock file is " + stat.describe()
                        + ", not this process's uid " + uid);
            }
            if (stat.permissions() != MODE) {
                // the umask narrowed a new file, or an earlier version made it for the socket's users too
                Posix.fchmod(opened, MODE);
            }
            return opened;
        }
        catch (AccessDeniedException | RuntimeException ex) {
            opened.close();
            if (ex instanceof UncheckedIOException || ex instanceof NativeCallException) {
                throw new ShareException(ShareErrorReason.IO, "cannot check lock file " + this.path + ": "
                        + ex.getMessage(), ex);
            }
            throw ex;
        }
    }

    private ShareException untrusted(String what) {
        return new ShareException(ShareErrorReason.IO, "lock file " + this.path + " is " + what + ", not a regular "
                + "file of this process: refusing to use it. Only this channel's own lock file may be there: "
                + "find out who put it there, then remove it");
    }

    private static String describe(Path path) {
        try {
            return FileStat.of(path, LinkOption.NOFOLLOW_LINKS).describe();
        }
        catch (IOException ex) {
            return "not usable (" + ex + ")";
        }
    }

    /**
     * Remove the socket file a crashed server left, or this server's own at close. Only the lock holder
     * removes it, and only if it is a socket: anything else at the socket's name is left untouched.
     * @throws ShareException if something other than a socket is there, or it cannot be removed
     * @throws IllegalStateException if this process does not hold the lock
     */
    void removeSocketFile() {
        removeSocketFile(null);
    }

    /**
     * Remove the socket file, as {@link #removeSocketFile()} does, but only if it is {@code ours} (a server
     * stepping down leaves a newer server's socket alone).
     * @param ours the socket this process bound, or {@code null} for any socket
     */
    void removeSocketFile(@Nullable FileStat ours) {
        if (!this.held) {
            throw new IllegalStateException("only the holder of " + this.path + " may remove " + this.socket);
        }
        FileStat stat;
        try {
            stat = FileStat.of(this.socket, LinkOption.NOFOLLOW_LINKS);
        }
        catch (NoSuchFileException ex) {
            return;
        }
        catch (IOException ex) {
            throw new ShareException(ShareErrorReason.IO, "cannot check socket path " + this.socket + ": " + ex, ex);
        }
        if (!stat.isSocket()) {
            throw new ShareException(ShareErrorReason.IO, "socket path " + this.socket + " is " + stat.describe()
                    + ", not a socket; it was left untouched. Move it away or choose another socket path");
        }
        if (ours != null && !stat.sameFileAs(ours)) {
            return;
        }
        try {
            Files.deleteIfExists(this.socket);
        }
        catch (IOException ex) {
            throw new ShareException(ShareErrorReason.IO, "cannot remove the old socket " + this.socket + ": " + ex, ex);
        }
    }

    /** Give the lock up, so another process can serve; does nothing when not held. */
    void release() {
        if (this.file != null) {
            // closing the only descriptor of the open file description drops its flock
            this.file.close();
        }
        this.file = null;
        this.held = false;
    }
}
