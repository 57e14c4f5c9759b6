package io.github.eventfd.spring.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.sun.jna.Native;
import io.github.eventfd.EventFd;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.spring.StarterRuntimeHints;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.ExecutableHint;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a GraalVM native image needs to reach eventfd-core's native layer, as ahead-of-time processing registers it
 * from {@code aot.factories}: one test per access the library makes by reflection, JNI or by name.
 */
class EventFdNativeRuntimeHintsTests {

    private final RuntimeHints hints = StarterRuntimeHints.fromAotFactories();

    @Test
    void whenJnaBindsLibCThenItCanListItsMethodsAndRegisterEachNativeOneThroughJni() {
        assertThat(RuntimeHintsPredicates.reflection().onType(LibC.class)).accepts(this.hints);
        TypeHint jni = this.hints.jni().getTypeHint(LibC.class);
        assertThat(jni).as("JNI hint of LibC").isNotNull();
        Set<String> registered = jni.methods().filter(method -> method.getMode() == ExecutableMode.INVOKE)
            .map(EventFdNativeRuntimeHintsTests::signature).collect(Collectors.toSet());
        Set<String> natives = Arrays.stream(LibC.class.getDeclaredMethods())
            .filter(method -> Modifier.isNative(method.getModifiers()))
            .map(EventFdNativeRuntimeHintsTests::signature).collect(Collectors.toSet());
        assertThat(natives).hasSizeGreaterThan(20).contains("eventfd[int, int]", "strerror[int]");
        assertThat(registered).containsAll(natives);
    }

    @Test
    void whenJnaLoadsItsDispatchLibraryThenTheOneOfEachSupportedArchitectureIsAResource() {
        for (String library : List.of("com/sun/jna/linux-x86-64/libjnidispatch.so",
                "com/sun/jna/linux-aarch64/libjnidispatch.so")) {
            assertThat(Native.class.getClassLoader().getResource(library)).as(library).isNotNull();
            assertThat(RuntimeHintsPredicates.resource().forResource(library)).as(library).accepts(this.hints);
        }
    }

    @Test
    void whenTheJniBackendLoadsItsLibraryThenTheOneOfEachArchitectureIsAResource() {
        String built = "io/github/eventfd/internal/jni/linux-" + System.getProperty("os.arch") + "/libeventfd-jni.so";
        assertThat(EventFd.class.getClassLoader().getResource(built)).as("the library this build made").isNotNull();
        for (String library : List.of(built, "io/github/eventfd/internal/jni/linux-aarch64/libeventfd-jni.so")) {
            assertThat(RuntimeHintsPredicates.resource().forResource(library)).as(library).accepts(this.hints);
        }
    }

    @Test
    void whenTheBackendIsChosenThenNoClassIsReachedByNameSoNoneIsRegistered() {
        // the multi-release jar's versions/22 NativeBackend names FfmCalls in its code: the image builder sees it
        assertThat(this.hints.reflection().getTypeHint(TypeReference.of("io.github.eventfd.internal.FfmCalls")))
            .as("a hint that would load the FFM backend by name").isNull();
    }

    @Test
    void whenEventFdLooksUpThreadIsVirtualThenTheMethodIsRegistered() {
        TypeHint thread = this.hints.reflection().getTypeHint(Thread.class);
        assertThat(thread).as("hint of Thread").isNotNull();
        // Thread.isVirtual exists from JDK 21 on: the hint names it whatever JDK processes the application
        assertThat(thread.methods()).anySatisfy(method -> {
            assertThat(method.getName()).isEqualTo("isVirtual");
            assertThat(method.getParameterTypes()).isEmpty();
            assertThat(method.getMode()).isEqualTo(ExecutableMode.INVOKE);
        });
    }

    @Test
    void whenOwnedFdMakesItsVarHandleThenItsStateFieldIsRegistered() {
        assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(OwnedFd.class, "state")).accepts(this.hints);
    }

    @Test
    void whenEventFdIsInitializedByNameThenItIsRegistered() {
        assertThat(RuntimeHintsPredicates.reflection().onType(EventFd.class)).accepts(this.hints);
    }

    @Test
    void whenANotifierIsRegisteredAtRunTimeThenItsFactoryMethodIsRegistered() {
        Method factory = NotifierRuntimeHints.factoryMethod();
        assertThat(factory.getReturnType()).isEqualTo(io.github.eventfd.spring.EventFdNotifier.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(factory)).accepts(this.hints);
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getName).toList();
    }

    private static String signature(ExecutableHint method) {
        return method.getName() + method.getParameterTypes().stream().map(TypeReference::getCanonicalName).toList();
    }
}
