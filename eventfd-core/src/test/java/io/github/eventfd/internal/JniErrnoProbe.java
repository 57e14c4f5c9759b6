package io.github.eventfd.internal;

/**
 * Run by {@link JniErrnoTest} in a JVM of its own: on each of a few new threads, makes its first call of the
 * JNI library a read of an empty non-blocking eventfd, and prints {@code errno=<n>} for each; EAGAIN (11) is
 * the only right answer.
 */
public final class JniErrnoProbe {

    private JniErrnoProbe() {
    }

    public static void main(String[] args) throws Exception {
        JniCalls calls = new JniCalls();
        NativeBlock value = calls.allocate(8);
        int fd = calls.eventfd(0, Linux.EFD_NONBLOCK | Linux.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("eventfd failed: errno " + calls.lastErrno());
        }
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                long n = calls.read(fd, value.address(), 8);
                System.out.println("read=" + n + " errno=" + calls.lastErrno());
            });
            thread.start();
            thread.join();
        }
        calls.close(fd);
    }
}
