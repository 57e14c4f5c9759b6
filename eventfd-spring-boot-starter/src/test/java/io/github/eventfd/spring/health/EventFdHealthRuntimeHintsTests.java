package io.github.eventfd.spring.health;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.share.PeerInfo;
import io.github.eventfd.spring.StarterRuntimeHints;
import io.github.eventfd.spring.channel.CounterImplementation;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.ShareDescription;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/** What JSON serialization of the health details reads by reflection in a GraalVM native image. */
class EventFdHealthRuntimeHintsTests {

    private final RuntimeHints hints = StarterRuntimeHints.fromAotFactories();

    @Test
    void whenAChannelIsSharedThenTheAccessorsOfItsDescriptionAndItsPeersAreRegistered() {
        for (String accessor : new String[] { "kind", "role", "state", "attached", "socket", "peers" }) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ShareDescription.class, accessor))
                .as(accessor).accepts(this.hints);
        }
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PeerInfo.class, "pid")).accepts(this.hints);
    }

    @Test
    void whenDetailsHoldEnumsThenEachIsRegistered() {
        for (Class<?> type : new Class<?>[] { CounterImplementation.class, EventFdMode.class, Dispatch.class }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
        }
    }
}
