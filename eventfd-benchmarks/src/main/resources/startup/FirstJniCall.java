import io.github.eventfd.internal.NativeCalls;

/**
 * eventfd-core's JNI backend's cost of a first call: copy out and load its library, then call eventfd(2) and
 * close(2) through it, in an otherwise empty JVM (eventfd-core alone on the class path, run with
 * -Deventfd.native=jni). Prints first-call-ms, the wall time of that on the main thread.
 */
public class FirstJniCall {

    public static void main(String[] args) {
        long start = System.nanoTime();
        NativeCalls calls = NativeCalls.INSTANCE;
        int fd = calls.eventfd(0, 0);
        int closed = calls.close(fd);
        long nanos = System.nanoTime() - start;
        if (!calls.name().equals("jni") || fd < 0 || closed != 0) {
            throw new IllegalStateException(calls.name() + ": eventfd returned " + fd + ", close " + closed);
        }
        System.out.printf(java.util.Locale.ROOT, "first-call-ms=%.3f%n", nanos / 1e6);
    }
}
