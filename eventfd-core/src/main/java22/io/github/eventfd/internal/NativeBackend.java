package io.github.eventfd.internal;

/**
 * Chooses the backend of {@link NativeCalls}. This is the copy for JDK 22 and later, which the JVM loads from
 * the jar's {@code META-INF/versions/22} in place of the one for JDK 17-21: eventfd-core's own JNI library where
 * the jar carries one for this platform, else the FFM backend, which then carries every call; JNA is loaded
 * only when asked for ({@code -Deventfd.native=jna}) or when neither can be made (native access denied, for
 * one).
 */
final class NativeBackend {

    private static final System.Logger logger = System.getLogger(NativeCalls.class.getName());

    private NativeBackend() {
    }

    static NativeCalls choose() {
        String wanted = System.getProperty("eventfd.native", "auto");
        if (wanted.equals("jna")) {
            return new JnaCalls();
        }
        NativeCalls jni = JniBackend.tryJni(wanted);
        if (jni != null) {
            return jni;
        }
        try {
            return new FfmCalls();
        }
        catch (Throwable ex) {
            // asking for FFM never falls back silently
            logger.log(wanted.equals("ffm") ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                    "eventfd.native=" + wanted + " but the FFM backend is not usable here; using JNA", ex);
            return new JnaCalls();
        }
    }
}
