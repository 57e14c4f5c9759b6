package io.github.eventfd.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.internal.EventFdAccess;
import io.github.eventfd.internal.FdInfo;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;

/**
 * Checks a descriptor received from another process before it is used: it must be an eventfd in the mode
 * the channel expects. Its {@code O_NONBLOCK} flag is not checked: it belongs to the open file description
 * that every holder shares, so any of them can change it at any time; I/O is made safe whatever it is. A descriptor that passes becomes an {@link EventFd}
 * that owns it; one that fails stays with its {@link OwnedFd}, whose owner closes it once.
 */
final class ReceivedDescriptors {

    private static final System.Logger logger = System.getLogger(ReceivedDescriptors.class.getName());

    private static final AtomicBoolean MODE_UNVERIFIABLE_LOGGED = new AtomicBoolean();

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
        // O_NONBLOCK is no basis for admission: any process holding the descriptor can change it at any time.
        // Reads never wait whatever it is (preadv2 RWF_NOWAIT), and fan-out writes are guarded (FanOut).
        checkMode(info, mode);
    }

    /**
     * Check the mode the kernel reports for a received eventfd. Kernels before 6.6 do not report it: the
     * mode then cannot be verified, which is said once in the log, and the mode the peer declared in the
     * protocol stands.
     */
    static void checkMode(FdInfo info, EventFdMode mode) {
        Optional<Boolean> semaphore = info.eventFdSemaphore();
        if (semaphore.isEmpty()) {
            if (!MODE_UNVERIFIABLE_LOGGED.getAndSet(true)) {
                logger.log(System.Logger.Level.WARNING, "this kernel (" + System.getProperty("os.version")
                        + ") does not report the mode of an eventfd (Linux 6.6 and later do): the mode of descriptors "
                        + "from other processes is taken from the protocol and cannot be checked");
            }
            return;
        }
        if (semaphore.get() != (mode == EventFdMode.SEMAPHORE)) {
            throw new ShareException(ShareErrorReason.MISMATCH, "received eventfd is in "
                    + (semaphore.get() ? "semaphore" : "counter") + " mode, the channel expects " + mode);
        }
    }

    /**
     * Whether two handles are the same kernel eventfd (a new server may hand out the one this process
     * already holds): {@code kcmp(KCMP_FILE)} where the kernel lets this process ask, the
     * {@code eventfd-id} of fdinfo (Linux 5.16 and later) otherwise.
     * @param a one handle
     * @param b another
     * @return {@code true} if the kernel says they are one eventfd, {@code false} if they differ or nothing
     * can tell (callers must be correct either way)
     */
    static boolean sameEventFd(EventFd a, EventFd b) {
        OwnedFd first = EventFdAccess.get().descriptor(a);
        OwnedFd second = EventFdAccess.get().descriptor(b);
        int fd1 = first.acquire();
        try {
            int fd2 = second.acquire();
            try {
                Optional<Boolean> same = Posix.sameOpenFile(fd1, fd2);
                if (same.isPresent()) {
                    return same.get();
                }
                String id = FdInfo.of(fd1).eventFdId();
                return id != null && id.equals(FdInfo.of(fd2).eventFdId());
            }
            finally {
                second.release();
            }
        }
        catch (RuntimeException ex) {
            return false;
        }
        finally {
            first.release();
        }
    }
}
