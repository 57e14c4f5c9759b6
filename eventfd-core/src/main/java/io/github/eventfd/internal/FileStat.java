package io.github.eventfd.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code stat(2)} tells about a file: its type, owner and permission bits. Not API.
 *
 * <p>{@link #of(OwnedFd)} is {@code fstat(2)}: it stats {@code /proc/self/fd/N}, a link the kernel resolves
 * from the descriptor itself, never from a name (for an {@code O_PATH} handle on a symbolic link it is the link).
 * It avoids the C library's {@code fstat}, which glibc exports only since 2.33, and a {@code struct stat}
 * whose layout differs between x86-64 and aarch64.
 *
 * @param mode the whole {@code st_mode}: type and permission bits
 * @param uid the owner
 * @param device the device the file is on
 * @param inode its inode number: with the device, which file it is, whatever name it has now
 */
public record FileStat(int mode, int uid, long device, long inode) {

    private static final int S_IFMT = 0170000;

    private static final int S_IFSOCK = 0140000;

    private static final int S_IFLNK = 0120000;

    private static final int S_IFREG = 0100000;

    private static final int S_IFBLK = 0060000;

    private static final int S_IFDIR = 0040000;

    private static final int S_IFCHR = 0020000;

    private static final int S_IFIFO = 0010000;

    /**
     * The file an open descriptor refers to.
     * @param fd the descriptor
     * @return its status
     * @throws UncheckedIOException if it cannot be read
     */
    public static FileStat of(OwnedFd fd) {
        int number = fd.acquire();
        try {
            return read(Path.of("/proc/self/fd/" + number));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot stat " + fd, ex);
        }
        finally {
            fd.release();
        }
    }

    /**
     * The file a name refers to, as {@code lstat(2)} or {@code stat(2)} sees it.
     * @param path the name
     * @param options {@link LinkOption#NOFOLLOW_LINKS} for the link itself
     * @return its status
     * @throws IOException if it cannot be read ({@link java.nio.file.NoSuchFileException} when missing)
     */
    public static FileStat of(Path path, LinkOption... options) throws IOException {
        return read(path, options);
    }

    private static FileStat read(Path path, LinkOption... options) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,dev,ino", options);
        return new FileStat((Integer) Objects.requireNonNull(attributes.get("mode")),
                (Integer) Objects.requireNonNull(attributes.get("uid")), (Long) Objects.requireNonNull(attributes.get("dev")),
                (Long) Objects.requireNonNull(attributes.get("ino")));
    }

    /**
     * Whether this and {@code other} are one file (same device and inode).
     * @param other another status
     * @return {@code true} if they are the same file
     */
    public boolean sameFileAs(FileStat other) {
        return this.device == other.device && this.inode == other.inode;
    }

    /**
     * The permission bits with set-id and sticky bits.
     * @return {@code mode & 07777}
     */
    public int permissions() {
        return this.mode & 07777;
    }

    /**
     * Whether it is a regular file.
     * @return {@code true} for a regular file
     */
    public boolean isRegularFile() {
        return (this.mode & S_IFMT) == S_IFREG;
    }

    /**
     * Whether it is a directory.
     * @return {@code true} for a directory
     */
    public boolean isDirectory() {
        return (this.mode & S_IFMT) == S_IFDIR;
    }

    /**
     * Whether it is a Unix domain socket.
     * @return {@code true} for a socket
     */
    public boolean isSocket() {
        return (this.mode & S_IFMT) == S_IFSOCK;
    }

    /**
     * The type in words, for messages.
     * @return such as {@code "regular file"}, {@code "symbolic link"} or {@code "FIFO"}
     */
    public String type() {
        return switch (this.mode & S_IFMT) {
            case S_IFSOCK -> "socket";
            case S_IFLNK -> "symbolic link";
            case S_IFREG -> "regular file";
            case S_IFBLK -> "block device";
            case S_IFDIR -> "directory";
            case S_IFCHR -> "character device";
            case S_IFIFO -> "FIFO";
            default -> "file of type " + Integer.toOctalString(this.mode & S_IFMT);
        };
    }

    /**
     * Type, owner and permission bits in words, for messages.
     * @return such as {@code "a FIFO owned by uid 65534 with mode 0666"}
     */
    public String describe() {
        return "a " + type() + " owned by uid " + this.uid + " with mode " + octal(permissions());
    }

    /**
     * Permission bits as {@code chmod} writes them.
     * @param permissions the bits
     * @return such as {@code "0755"} or {@code "01777"}
     */
    public static String octal(int permissions) {
        return (permissions <= 0777) ? String.format("0%03o", permissions) : String.format("0%o", permissions);
    }
}
