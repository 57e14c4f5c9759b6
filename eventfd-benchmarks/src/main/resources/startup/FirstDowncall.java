import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The JDK's own cost of a first foreign call (JDK 22+): link eventfd(2) and close(2) and call them, in an otherwise
 * empty JVM. Prints first-call-ms, the wall time of that on the main thread.
 */
public class FirstDowncall {

    public static void main(String[] args) throws Throwable {
        long start = System.nanoTime();
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor intOfTwoInts = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT);
        MethodHandle eventfd = linker.downcallHandle(linker.defaultLookup().find("eventfd").orElseThrow(),
                intOfTwoInts);
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        int fd = (int) eventfd.invokeExact(0, 0);
        int closed = (int) close.invokeExact(fd);
        long nanos = System.nanoTime() - start;
        if (fd < 0 || closed != 0) {
            throw new IllegalStateException("eventfd returned " + fd + ", close " + closed);
        }
        System.out.printf(java.util.Locale.ROOT, "first-call-ms=%.3f%n", nanos / 1e6);
    }
}
