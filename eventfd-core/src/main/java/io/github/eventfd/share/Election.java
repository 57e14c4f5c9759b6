package io.github.eventfd.share;

import java.nio.file.AccessDeniedException;

import io.github.eventfd.internal.FileStat;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether this process serves: the role's rules, and the lock file beside the socket whose
 * holder serves ({@link ServeLock}).
 */
final class Election {

    private final ShareOptions options;

    private final ServeLock lock;

    /** Why the last attempt to win found that this process may not serve, or {@code null}. */
    private @Nullable AccessDeniedException denied;

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
            this.denied = null;
        }
        catch (AccessDeniedException ex) {
            if (this.options.role() == ShareRole.OWNER) {
                throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel() + "' has role owner "
                        + "but may not open " + this.lock.path() + ": " + ex.getMessage(), ex);
            }
            // this process may not serve here (another user's files): it can still attach
            this.denied = ex;
            return false;
        }
        if (!won && this.options.role() == ShareRole.OWNER) {
            throw new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel()
                    + "' has role owner but another process serves " + this.options.socket());
        }
        return won;
    }

    /**
     * Why the last attempt to win found that this process may not serve.
     * @return the reason, with the path and the errno, or {@code null} if it was not refused
     */
    @Nullable String whyNotServing() {
        AccessDeniedException ex = this.denied;
        return (ex != null) ? reason(ex) : null;
    }

    private static String reason(AccessDeniedException ex) {
        // the reason names the lock file already where a system call failed
        return (ex.getReason() != null) ? ex.getReason() : String.valueOf(ex.getMessage());
    }

    /**
     * When this process may not serve and no other allowed uid may create files in the socket's directory, the
     * failure that ends the wait for a server at once: nobody this process would attach to can ever serve there.
     * @return the failure, or {@code null} while a server may still come
     */
    @Nullable ShareException nobodyCanServe() {
        AccessDeniedException ex = this.denied;
        if (ex == null) {
            return null;
        }
        String directory = SocketDirectory.whenNoOtherAllowedUidMayServe(this.options.socket(),
                this.options.allowedUids());
        if (directory == null) {
            return null;
        }
        int uid = SharedChannel.currentUid();
        return new ShareException(ShareErrorReason.IO, "channel '" + this.options.channel() + "': this process (uid "
                + uid + ") may not serve " + this.options.socket() + ": " + reason(ex) + "; and no other allowed "
                + "uid " + this.options.allowedUids() + " may create files in its directory, " + directory
                + ", so nobody this process would attach to can serve there either. Fix: choose a socket path in a "
                + "directory that uid " + uid + " owns and only it may write, or give the directory to uid " + uid
                + ", or allow the uid that serves there", ex);
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
