package io.github.eventfd.share;

import java.nio.file.AccessDeniedException;

import io.github.eventfd.internal.FileStat;

/**
 * Decides whether this process serves: the role's rules, and the lock file beside the socket whose
 * holder serves ({@link ServeLock}).
 */
final class Election {

    private final ShareOptions options;

    private final ServeLock lock;

    Election(ShareOptions options) {
        this.options = options;
        this.lock = new ServeLock(options.socket(), options.socketPermissions());
    }

    /**
     * Try to become the server.
     * @return {@code true} if this process holds the lock now and must serve
     * @throws ShareException if the role is owner and another process serves, or the lock cannot be used
     */
    boolean tryWin() {
        if (this.options.role() == ShareRole.ATTACH) {
            return false;
        }
        boolean won;
        try {
            won = this.lock.tryAcquire();
        }
        catch (AccessDeniedException ex) {
            if (this.options.role() == ShareRole.OWNER) {
                throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel() + "' has role owner "
                        + "but may not open " + this.lock.path() + ": " + ex.getMessage(), ex);
            }
            // this process may not serve here (another user's files): it can still attach
            return false;
        }
        if (!won && this.options.role() == ShareRole.OWNER) {
            throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel()
                    + "' has role owner but another process serves " + this.options.socket());
        }
        return won;
    }

    /**
     * Remove the socket file a crashed server left, or this server's own at close; only while this process
     * holds the lock, and only a socket.
     * @throws ShareException if something other than a socket is at the socket path (it is left untouched)
     */
    void removeSocketFile() {
        this.lock.removeSocketFile();
    }

    /** Remove this server's own socket file, and nothing a newer server bound at the same name. */
    void removeOwnSocketFile(FileStat ours) {
        this.lock.removeSocketFile(ours);
    }

    /**
     * Whether this process still holds the lock that the lock path names: another process can lock a new
     * file once the old one was deleted or replaced.
     */
    boolean stillWon() {
        return this.lock.stillHeld();
    }

    /** Give serving up, so another process can win; does nothing when not held. */
    void resign() {
        this.lock.release();
    }
}
