package io.github.eventfd.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.FdInfo;
import io.github.eventfd.internal.OwnedFd;
import org.jspecify.annotations.Nullable;

/**
 * Checks a descriptor received from another process before it is used: it must be an eventfd, open
 * non-blocking, and in the mode the channel expects. A descriptor that passes becomes an {@link EventFd}
 * that owns it; one that fails stays with its {@link OwnedFd}, whose owner closes it once.
 */
final class ReceivedDescriptors {

    private ReceivedDescriptors() {
    }

    /**
     * Check a received descriptor and make it a handle.
     * @param received the descriptor as it arrived
     * @param mode the mode the channel expects
     * @return the handle, which owns the descriptor from now on
     * @throws ShareException if the descriptor is not usable; it is left to the caller, who closes it
     */
    static EventFd adopt(OwnedFd received, EventFdMode mode) {
        int fd = received.acquire();
        try {
            verifyEventFd(fd, mode);
        }
        finally {
            received.release();
        }
        return EventFdAccess.get().adopt(received, mode);
    }

    private static void verifyEventFd(int fd, EventFdMode mode) {
        String target;
        FdInfo info;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            info = FdInfo.of(fd);
        }
        catch (IOException | RuntimeException ex) {
            throw new ShareException(ShareErrorReason.NOT_EVENTFD, "cannot inspect received fd " + fd + ": " + ex);
        }
        if (!target.equals("anon_inode:[eventfd]")) {
            throw new ShareException(ShareErrorReason.NOT_EVENTFD, "received fd is " + target + ", not an eventfd");
        }
        if (!info.nonBlocking()) {
            throw new ShareException(ShareErrorReason.NOT_EVENTFD, "received eventfd is not non-blocking");
        }
        Optional<Boolean> semaphore = info.eventFdSemaphore();
        if (semaphore.isPresent() && semaphore.get() != (mode == EventFdMode.SEMAPHORE)) {
            throw new ShareException(ShareErrorReason.MISMATCH, "received eventfd is in "
                    + (semaphore.get() ? "semaphore" : "counter") + " mode, the channel expects " + mode);
        }
    }

    /**
     * Whether two handles are the same kernel eventfd (a new server may hand out the one this process
     * already holds).
     * @param a one handle
     * @param b another
     * @return {@code true} if the kernel says they are one eventfd
     */
    static boolean sameEventFd(EventFd a, EventFd b) {
        String idA = eventFdId(a);
        return idA != null && idA.equals(eventFdId(b));
    }

    private static @Nullable String eventFdId(EventFd eventFd) {
        OwnedFd descriptor = EventFdAccess.get().descriptor(eventFd);
        int fd = descriptor.acquire();
        try {
            return FdInfo.of(fd).eventFdId();
        }
        catch (RuntimeException ex) {
            return null;
        }
        finally {
            descriptor.release();
        }
    }
}
