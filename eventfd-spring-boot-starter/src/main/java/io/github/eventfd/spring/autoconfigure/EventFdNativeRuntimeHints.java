package io.github.eventfd.spring.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

import io.github.eventfd.EventFd;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.OwnedFd;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ReflectionUtils;

/**
 * What eventfd-core reaches by reflection, JNI or by name, for a GraalVM native image.
 *
 * <ul>
 * <li>JNA binds {@link LibC} with {@code Native.register}: it lists the class's declared methods by reflection and
 * registers each {@code native} one through JNI; JNA's own dispatch library is a resource of its jar, one per
 * architecture this project supports. JNA's internals (its classes that native code calls back) are described by
 * the GraalVM Reachability Metadata Repository, which the native build tools use by default.</li>
 * <li>The JNI backend loads eventfd-core's own library, a resource of its jar under a directory per
 * architecture; its C functions call nothing back in Java, so no JNI access is registered for them.</li>
 * <li>The FFM backend is no class looked up by name: eventfd-core is a multi-release jar, and the
 * {@code NativeBackend} of its {@code META-INF/versions/22}, which the image builder reads on JDK 22+, constructs
 * it in code. The downcalls that backend makes are registered by eventfd-core itself, in its
 * {@code reachability-metadata.json}: Spring's hints have no category for foreign calls.</li>
 * <li>{@code EventFd} looks up {@code Thread.isVirtual} with a method handle, {@link OwnedFd} its {@code state}
 * field with a var handle, and {@code EventFdAccess} initializes {@link EventFd} by name.</li>
 * </ul>
 */
final class EventFdNativeRuntimeHints implements RuntimeHintsRegistrar {

    /** Where JNA finds its native library on the architectures this project supports. */
    private static final List<String> JNA_DISPATCH_LIBRARIES = List.of("com/sun/jna/linux-x86-64/libjnidispatch.so",
            "com/sun/jna/linux-aarch64/libjnidispatch.so");

    /** Where eventfd-core's JNI backend finds its library, one directory per {@code os.arch}. */
    private static final String JNI_LIBRARIES = "io/github/eventfd/internal/jni/*/libeventfd-jni.so";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerType(LibC.class);
        for (Method method : LibC.class.getDeclaredMethods()) {
            if (Modifier.isNative(method.getModifiers())) {
                hints.jni().registerMethod(method, ExecutableMode.INVOKE);
            }
        }
        JNA_DISPATCH_LIBRARIES.forEach(hints.resources()::registerPattern);
        hints.resources().registerPattern(JNI_LIBRARIES);
        hints.reflection().registerType(Thread.class,
                type -> type.withMethod("isVirtual", List.of(), ExecutableMode.INVOKE));
        hints.reflection().registerField(stateField());
        hints.reflection().registerType(EventFd.class);
    }

    private static Field stateField() {
        Field field = ReflectionUtils.findField(OwnedFd.class, "state", int.class);
        if (field == null) {
            throw new IllegalStateException("OwnedFd has no int field 'state' for its var handle");
        }
        return field;
    }
}
