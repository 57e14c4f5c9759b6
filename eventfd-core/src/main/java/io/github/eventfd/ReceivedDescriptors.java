package io.github.eventfd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Checks a descriptor received from another process before it is used: it must be an eventfd, open
 * non-blocking, and in the mode the channel expects.
 */
final class ReceivedDescriptors {

    private static final int O_NONBLOCK = 04000;

    private ReceivedDescriptors() {
    }

    static void verifyEventFd(int fd, EventFdMode mode) {
        String target;
        String info;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            info = Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        }
        catch (IOException ex) {
            throw new ShareException(ShareErrorReason.NOT_EVENTFD, "cannot inspect received fd " + fd + ": " + ex);
        }
        if (!target.equals("anon_inode:[eventfd]")) {
            throw new ShareException(ShareErrorReason.NOT_EVENTFD, "received fd is " + target + ", not an eventfd");
        }
        int flags = Integer.parseInt(field(info, "flags:", "0"), 8);
        if ((flags & O_NONBLOCK) == 0) {
            throw new ShareException(ShareErrorReason.NOT_EVENTFD, "received eventfd is not non-blocking");
        }
        String semaphore = field(info, "eventfd-semaphore:", null);
        if (semaphore != null && (semaphore.equals("1") != (mode == EventFdMode.SEMAPHORE))) {
            throw new ShareException(ShareErrorReason.MISMATCH, "received eventfd is in "
                    + (semaphore.equals("1") ? "semaphore" : "counter") + " mode, the channel expects " + mode);
        }
    }

    private static @Nullable String field(String info, String key, @Nullable String missing) {
        return info.lines().filter(line -> line.startsWith(key)).map(line -> line.substring(key.length()).trim())
                .findFirst().orElse(missing);
    }
}
