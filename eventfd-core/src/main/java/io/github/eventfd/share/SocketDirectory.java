package io.github.eventfd.share;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

import io.github.eventfd.internal.FileStat;
import org.jspecify.annotations.Nullable;

/**
 * The directory of a shared channel's socket, trusted with its lock file and socket file, so it must be
 * safe from other users: owned by this process's uid, by root, or by a uid the channel allows as a peer
 * (whose server this process may then only attach to), and writable by nobody else, unless it is root's and
 * sticky (like {@code /tmp}), where no user may remove or rename what another created. The directories the
 * library creates on the way to it must be this process's.
 */
final class SocketDirectory {

    private static final int GROUP_OR_OTHERS_WRITE = 0022;

    private static final int OWNER_WRITE = 0200;

    private static final int STICKY = 01000;

    private SocketDirectory() {
    }

    /**
     * Check the directory of a socket, first creating it and its missing parents if asked to.
     * @param socket the socket path
     * @param socketPermissions the socket's permissions: a group or others that may use the socket may
     * search a created directory, never write to it
     * @param create whether to create a missing directory (a process that may not serve only checks one
     * that exists)
     * @throws ShareException naming the directory, its owner and mode, and how to fix it
     */
    static void prepare(Path socket, Set<PosixFilePermission> socketPermissions, boolean create) {
        prepare(socket, socketPermissions, create, Set.of());
    }

    /**
     * Check the directory of a socket, as {@link #prepare(Path, Set, boolean)} does, also trusting an
     * existing directory that belongs to one of {@code allowedOwners}: a process that may attach to a server
     * of another allowed uid may do so in that uid's directory (it cannot write there, so it never serves
     * there).
     */
    static void prepare(Path socket, Set<PosixFilePermission> socketPermissions, boolean create,
            Set<Integer> allowedOwners) {
        Path directory = socket.toAbsolutePath().getParent();
        if (directory == null) {
            return;
        }
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing);
            existing = existing.getParent();
        }
        if (!missing.isEmpty() && existing != null && !Files.isDirectory(existing)) {
            // the directory can never exist, for this process or a server: waiting for one is pointless
            throw new ShareException(ShareErrorReason.IO, "socket directory " + directory + " cannot exist: "
                    + existing + " is " + describe(existing) + ", not a directory (ENOTDIR). Fix: move it away, or "
                    + "choose a socket path in a directory");
        }
        if (!missing.isEmpty() && !create) {
            return;
        }
        int uid = SharedChannel.currentUid();
        for (Path created : missing) {
            try {
                Files.createDirectory(created, PosixFilePermissions.asFileAttribute(permissions(socketPermissions)));
            }
            catch (FileAlreadyExistsException ex) {
                // another process made it meanwhile: checked below all the same
            }
            catch (IOException ex) {
                throw new ShareException(ShareErrorReason.IO, "cannot create socket directory " + created + ": " + ex, ex);
            }
            // a directory this process made can only be a directory: a symbolic link here was swapped in
            check(created, uid, Set.of(), LinkOption.NOFOLLOW_LINKS);
        }
        if (missing.isEmpty()) {
            check(directory, uid, allowedOwners);
        }
    }

    /**
     * Whether no allowed uid but this process's own may create files in the socket's directory, judged from its
     * owner and mode as {@link #prepare} judges trust (root may, the owner may if the owner may write, anyone may
     * if others may write): then, if this process may not serve there, no server it would attach to can ever
     * serve there either.
     * @param socket the socket path
     * @param allowedUids the uids this process accepts as a server
     * @return the directory's type, owner and mode, for a message, when no other allowed uid may; {@code null}
     * when one may or when the directory cannot be read
     */
    static @Nullable String whenNoOtherAllowedUidMayServe(Path socket, Set<Integer> allowedUids) {
        Path directory = socket.toAbsolutePath().getParent();
        if (directory == null) {
            return null;
        }
        FileStat stat;
        try {
            stat = FileStat.of(directory);
        }
        catch (IOException ex) {
            return null;
        }
        int self = SharedChannel.currentUid();
        boolean ownerWrites = (stat.permissions() & OWNER_WRITE) != 0;
        boolean othersWrite = (stat.permissions() & GROUP_OR_OTHERS_WRITE) != 0;
        for (int uid : allowedUids) {
            if (uid != self && (uid == 0 || othersWrite || (uid == stat.uid() && ownerWrites))) {
                return null;
            }
        }
        return stat.describe();
    }

    private static String describe(Path path) {
        try {
            return FileStat.of(path).describe();
        }
        catch (IOException ex) {
            return "not usable (" + ex + ")";
        }
    }

    /**
     * The owner of the socket's directory when it exists and is neither this process's uid nor root: such a
     * directory (of another allowed uid) may be attached in, never served in.
     * @return the owner, or empty
     */
    static OptionalInt foreignOwner(Path socket) {
        Path directory = socket.toAbsolutePath().getParent();
        if (directory == null) {
            return OptionalInt.empty();
        }
        try {
            int owner = FileStat.of(directory).uid();
            return (owner == SharedChannel.currentUid() || owner == 0) ? OptionalInt.empty() : OptionalInt.of(owner);
        }
        catch (IOException ex) {
            return OptionalInt.empty();
        }
    }

    private static Set<PosixFilePermission> permissions(Set<PosixFilePermission> socket) {
        Set<PosixFilePermission> directory = EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        if (socket.contains(PosixFilePermission.GROUP_READ) || socket.contains(PosixFilePermission.GROUP_WRITE)) {
            directory.add(PosixFilePermission.GROUP_READ);
            directory.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (socket.contains(PosixFilePermission.OTHERS_READ) || socket.contains(PosixFilePermission.OTHERS_WRITE)) {
            directory.add(PosixFilePermission.OTHERS_READ);
            directory.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return directory;
    }

    private static void check(Path directory, int uid, Set<Integer> allowedOwners, LinkOption... options) {
        FileStat stat;
        try {
            stat = FileStat.of(directory, options);
        }
        catch (NoSuchFileException ex) {
            throw new ShareException(ShareErrorReason.IO, "socket directory " + directory + " went away while "
                    + "being prepared", ex);
        }
        catch (IOException ex) {
            throw new ShareException(ShareErrorReason.IO, "cannot check socket directory " + directory + ": " + ex, ex);
        }
        if (!stat.isDirectory()) {
            throw new ShareException(ShareErrorReason.IO, "socket directory " + directory + " is " + stat.describe()
                    + ", not a directory (ENOTDIR); choose a socket path in a directory of this process's uid " + uid);
        }
        boolean trustedOwner = stat.uid() == uid || stat.uid() == 0 || allowedOwners.contains(stat.uid());
        boolean writableByOthers = (stat.permissions() & GROUP_OR_OTHERS_WRITE) != 0;
        boolean rootSticky = stat.uid() == 0 && (stat.permissions() & STICKY) != 0;
        if (trustedOwner && (!writableByOthers || rootSticky)) {
            return;
        }
        String problem = trustedOwner ? "writable by group or others" : "not owned by this process's uid " + uid
                + ", an allowed uid or root";
        String fix = trustedOwner ? "remove their write permission (chmod go-w " + directory + ")"
                : "chown it to uid " + uid + " or to root, and make it writable by its owner only";
        throw new ShareException(ShareErrorReason.IO, "socket directory " + directory + " is owned by uid "
                + stat.uid() + " with mode " + FileStat.octal(stat.permissions()) + ", " + problem
                + ": other users could replace the lock file or the socket. It must belong to this process's uid "
                + uid + " or to root and be writable by its owner only, or be root's and sticky like /tmp. Fix: "
                + fix + ", or choose a socket path in such a directory");
    }
}
