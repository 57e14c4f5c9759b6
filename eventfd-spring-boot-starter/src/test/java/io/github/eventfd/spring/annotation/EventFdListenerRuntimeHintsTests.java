package io.github.eventfd.spring.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.StarterRuntimeHints;
import io.github.eventfd.spring.TestListeners;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a GraalVM native image needs to call {@code @EventFdListener} methods, which the starter invokes by
 * reflection, and to evaluate their conditions.
 */
class EventFdListenerRuntimeHintsTests {

    @Test
    void whenABeanHasListenerMethodsThenAheadOfTimeProcessingRegistersEachForInvocation() {
        RuntimeHints hints = new RuntimeHints();
        // what Spring's ReflectiveProcessorBeanFactoryInitializationAotProcessor does for each bean class
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, TestListeners.Orders.class,
                ComposedListener.class);
        for (String method : new String[] { "onCount", "onSignal", "onEvent" }) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TestListeners.Orders.class, method))
                .as(method).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ComposedListener.class, "onAudit"))
            .accepts(hints);
    }

    @Test
    void whenAConditionReadsTheRootObjectAndTheEventThenTheirGettersAreRegistered() {
        RuntimeHints hints = StarterRuntimeHints.fromAotFactories();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ListenerCondition.Root.class, "getEvent"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ListenerCondition.Root.class, "getArgs"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EventFdSignalEvent.class, "getCount"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EventFdSignalEvent.class, "isCoalesced"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EventFdChannelEvent.class, "getChannel"))
            .accepts(hints);
    }

    /** A composed annotation, as an application may declare one. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @EventFdListener("audit")
    @interface AuditListener {
    }

    /** Listens through the composed annotation. */
    static class ComposedListener {

        @AuditListener
        void onAudit() {
        }
    }
}
