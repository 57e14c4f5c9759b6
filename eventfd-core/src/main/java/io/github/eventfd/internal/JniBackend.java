package io.github.eventfd.internal;

import org.jspecify.annotations.Nullable;

/**
 * The first choice of both copies of {@link NativeBackend}: the JNI backend, unless another one is asked for.
 * Where it cannot be made (no library for this platform, a temporary directory that forbids executables,
 * native access denied), the caller falls back: silently under {@code auto}, with a warning when
 * {@code eventfd.native=jni} asked for it.
 */
final class JniBackend {

    private static final System.Logger logger = System.getLogger(NativeCalls.class.getName());

    private JniBackend() {
    }

    static @Nullable NativeCalls tryJni(String wanted) {
        if (!wanted.equals("auto") && !wanted.equals("jni")) {
            return null;
        }
        try {
            return new JniCalls();
        }
        catch (Throwable ex) {
            logger.log(wanted.equals("jni") ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                    "eventfd.native=" + wanted + " but the JNI backend is not usable here; using "
                            + ((Runtime.version().feature() >= 22) ? "FFM" : "JNA"), ex);
            return null;
        }
    }
}
