package io.github.eventfd.internal;

/**
 * Chooses the backend of {@link NativeCalls}. This is the copy for JDK 17-21: eventfd-core's own JNI library
 * where the jar carries one for this platform, else JNA. eventfd-core is a multi-release jar, and its
 * {@code META-INF/versions/22} holds the copy that JDK 22 and later load in this one's place, which falls back
 * to the FFM backend instead: the choice comes from which class the JVM loads, never from a class looked up by
 * name.
 */
final class NativeBackend {

    private static final System.Logger logger = System.getLogger(NativeCalls.class.getName());

    private NativeBackend() {
    }

    static NativeCalls choose() {
        String wanted = System.getProperty("eventfd.native", "auto");
        NativeCalls jni = JniBackend.tryJni(wanted);
        if (jni != null) {
            return jni;
        }
        if (wanted.equals("ffm")) {
            // the same words as on a JDK where the FFM backend fails: asking for it never falls back silently
            int feature = Runtime.version().feature();
            logger.log(System.Logger.Level.WARNING, "eventfd.native=ffm but the FFM backend is not usable here; "
                    + "using JNA: " + ((feature < 22) ? "it needs JDK 22 or later and this is JDK " + feature
                            : "eventfd-core was not loaded from its multi-release jar, which holds it"));
        }
        return new JnaCalls();
    }
}
