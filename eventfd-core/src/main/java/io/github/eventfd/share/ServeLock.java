package io.github.eventfd.share;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The lock file beside a shared channel's socket ({@code <socket>.lock}): the process holding it serves the
 * socket. The kernel drops the lock when its holder dies, so a crashed server never blocks a takeover.
 * Not thread-safe: the channel uses it from its own thread and, once that thread has stopped, from close.
 */
final class ServeLock {

    private static final System.Logger logger = System.getLogger(ServeLock.class.getName());

    private final Path socket;

    private final Path path;

    private final Set<PosixFilePermission> permissions;

    private @Nullable FileChannel file;

    private @Nullable FileLock lock;

    /**
     * @param socket the channel's socket path
     * @param permissions the socket's permissions: whoever may use the socket may also take over serving it
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
     * @throws AccessDeniedException if this process may not open the lock file (another user's files)
     * @throws ShareException if the lock file cannot be used for another reason
     */
    boolean tryAcquire() throws AccessDeniedException {
        try {
            if (this.file == null) {
                SocketDirectory.prepare(this.socket, this.permissions, true);
                boolean created = !Files.exists(this.path);
                this.file = FileChannel.open(this.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                if (created) {
                    Files.setPosixFilePermissions(this.path, this.permissions);
                }
            }
            this.lock = this.file.tryLock();
            return this.lock != null;
        }
        catch (OverlappingFileLockException ex) {
            return false;
        }
        catch (AccessDeniedException ex) {
            throw ex;
        }
        catch (IOException ex) {
            throw new ShareException(ShareErrorReason.IO, "cannot lock " + this.path + ": " + ex, ex);
        }
    }

    /** Give the lock up, so another process can serve; does nothing when not held. */
    void release() {
        try {
            if (this.lock != null) {
                this.lock.release();
            }
            if (this.file != null) {
                this.file.close();
            }
        }
        catch (IOException ex) {
            logger.log(System.Logger.Level.WARNING, "cannot release " + this.path, ex);
        }
        this.lock = null;
        this.file = null;
    }
}
