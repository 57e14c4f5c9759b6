package io.github.eventfd.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdPoller;

/**
 * Run by {@link PackagedJarIT} in a JVM of its own, with eventfd-core from the packaged jar: makes every kind
 * of call the library makes (eventfd, epoll, poll, a Unix socket passing a descriptor, open/flock/fchmod,
 * kcmp, strerror) and prints {@code backend=<name>} and {@code done}.
 */
public final class PackagedJarProbe {

    private PackagedJarProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        System.out.println("backend=" + NativeCalls.INSTANCE.name());
        try (EventFd eventFd = EventFd.create(); EventFdPoller poller = EventFdPoller.start()) {
            CountDownLatch delivered = new CountDownLatch(1);
            poller.register(eventFd, (signalled, count) -> delivered.countDown());
            eventFd.signal();
            check(delivered.await(30, TimeUnit.SECONDS), "no delivery");
        }
        try (EventFd eventFd = EventFd.create()) {
            eventFd.signal(2);
            check(eventFd.read(Duration.ofSeconds(5)) == 2, "read lost a count");
        }
        try (UnixSocket server = UnixSocket.listen(directory.resolve("probe.sock"), 4);
                UnixSocket client = UnixSocket.connect(directory.resolve("probe.sock"));
                EventFd passed = EventFd.create()) {
            // a connection to a listening socket is queued by the time connect returns
            UnixSocket accepted = server.accept();
            check(accepted != null, "no connection to accept");
            try (accepted) {
                check(accepted.peerCredentials().pid() == ProcessHandle.current().pid(), "wrong peer");
                OwnedFd descriptor = new OwnedFd(Posix.eventfd(0, false), "probe");
                try {
                    check(client.send(new byte[] { 1 }, descriptor), "send failed");
                }
                finally {
                    descriptor.close();
                }
                UnixSocket.Received received = accepted.receive();
                check(received != null && received.fds().size() == 1, "no descriptor arrived");
                received.closeFds();
            }
            check(passed.descriptorNumber() >= 0, "no eventfd");
        }
        OwnedFd lock = Posix.open(directory.resolve("probe.lock"), Linux.O_RDWR | Linux.O_CREAT, 0600, "lock");
        try {
            check(Posix.flock(lock, Linux.LOCK_EX | Linux.LOCK_NB), "no lock");
            Posix.fchmod(lock, 0640);
            int number = lock.acquire();
            try {
                check(Posix.sameOpenFile(number, number).orElse(true), "kcmp disagrees");
            }
            finally {
                lock.release();
            }
        }
        finally {
            lock.close();
        }
        check(!Posix.readSmallFile(Path.of("/proc/self/stat")).isEmpty(), "empty /proc/self/stat");
        check(!Errno.describe(Errno.EBADF).isEmpty(), "no strerror text");
        check(Files.exists(directory.resolve("probe.lock")), "no lock file");
        System.out.println("done");
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }
}
