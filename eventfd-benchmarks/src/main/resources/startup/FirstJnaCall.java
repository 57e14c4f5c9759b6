import com.sun.jna.Native;

/**
 * JNA's own cost of a first call: register eventfd(2) and close(2) from the C library by direct mapping and call
 * them, in an otherwise empty JVM, set up as eventfd-core sets JNA up (no ldconfig run). Prints first-call-ms, the
 * wall time of that on the main thread.
 */
public class FirstJnaCall {

    static native int eventfd(int initval, int flags);

    static native int close(int fd);

    public static void main(String[] args) {
        long start = System.nanoTime();
        // what eventfd-core presets: JNA then runs no ldconfig to find the loader's directories
        StringBuilder path = new StringBuilder();
        for (String directory : new String[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" }) {
            if (new java.io.File(directory).isDirectory()) {
                path.append(path.length() > 0 ? ":" : "").append(directory);
            }
        }
        System.setProperty("jna.platform.library.path", path.toString());
        Native.register(FirstJnaCall.class, "libc.so.6");
        int fd = eventfd(0, 0);
        int closed = close(fd);
        long nanos = System.nanoTime() - start;
        if (fd < 0 || closed != 0) {
            throw new IllegalStateException("eventfd returned " + fd + ", close " + closed);
        }
        System.out.printf(java.util.Locale.ROOT, "first-call-ms=%.3f%n", nanos / 1e6);
    }
}
