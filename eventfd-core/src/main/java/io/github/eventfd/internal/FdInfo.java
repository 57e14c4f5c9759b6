package io.github.eventfd.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.github.eventfd.NativeCallException;
import org.jspecify.annotations.Nullable;

/**
 * What the kernel reports about one descriptor of this process in {@code /proc/self/fdinfo}, parsed once:
 * the open flags, and for an eventfd its count, its mode and its id where the kernel prints them. The one
 * reader of that file in the library. Not API.
 */
public final class FdInfo {

    private static final int O_NONBLOCK = 04000;

    private final int fd;

    private final Map<String, String> fields;

    private FdInfo(int fd, Map<String, String> fields) {
        this.fd = fd;
        this.fields = fields;
    }

    /**
     * Read the information of a descriptor the caller holds.
     * @param fd an open descriptor of this process
     * @return the parsed information
     * @throws NativeCallException if the file cannot be read, with the kernel's errno (EMFILE when the
     * process is out of descriptors: reading the file needs one)
     */
    public static FdInfo of(int fd) {
        return parse(fd, Posix.readSmallFile(Path.of("/proc/self/fdinfo/" + fd)));
    }

    /**
     * Parse the text of an fdinfo file.
     * @param fd the descriptor it describes, for messages
     * @param text the file's lines, {@code key:<whitespace>value}
     * @return the parsed information
     */
    public static FdInfo parse(int fd, String text) {
        Map<String, String> fields = new HashMap<>();
        text.lines().forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        });
        return new FdInfo(fd, fields);
    }

    /**
     * The file status flags ({@code flags:}, octal).
     * @return the flags, 0 where the kernel printed none
     */
    public int flags() {
        String flags = this.fields.get("flags");
        return (flags != null) ? Integer.parseInt(flags, 8) : 0;
    }

    /**
     * Whether {@code O_NONBLOCK} is set on the open file description.
     * @return {@code true} if it is
     */
    public boolean nonBlocking() {
        return (flags() & O_NONBLOCK) != 0;
    }

    /**
     * The eventfd counter ({@code eventfd-count:}, hexadecimal).
     * @return the unsigned count
     * @throws IllegalStateException if the descriptor is not an eventfd
     */
    public long eventFdCount() {
        String count = this.fields.get("eventfd-count");
        if (count == null) {
            throw new IllegalStateException("fd " + this.fd + " has no 'eventfd-count' in its fdinfo: not an eventfd");
        }
        return Long.parseUnsignedLong(count, 16);
    }

    /**
     * Whether the eventfd is in semaphore mode ({@code eventfd-semaphore:}, printed by Linux 6.6 and later).
     * @return the mode, or empty where the kernel does not print it
     */
    public Optional<Boolean> eventFdSemaphore() {
        return Optional.ofNullable(this.fields.get("eventfd-semaphore")).map("1"::equals);
    }

    /**
     * The eventfd's id ({@code eventfd-id:}, printed by Linux 5.16 and later).
     * @return the id, or {@code null} where the kernel does not print it
     */
    public @Nullable String eventFdId() {
        return this.fields.get("eventfd-id");
    }
}
