package io.github.eventfd.spring.channel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdUnavailableException;
import io.github.eventfd.InMemoryEventCounter;
import io.github.eventfd.share.ShareKind;
import io.github.eventfd.share.ShareRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What backs a channel under each fallback policy, as where eventfd(2) is missing (the factory is told it is)
 * and where it is there; on any OS, since nothing here opens an eventfd.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventFdChannelFactoryTests {

    private static final Throwable MISSING = new UnsupportedOperationException("eventfd(2) is Linux only");

    @TempDir
    Path directory;

    private ChannelDefinition shared(String name) {
        ChannelSharing sharing = new ChannelSharing(this.directory.resolve(name + ".sock"), ShareKind.QUEUE,
                ShareRole.AUTO, Set.of(), Set.of(1000), Duration.ofMillis(200), Duration.ofSeconds(10), 1024);
        return new ChannelDefinition(name, EventFdMode.COUNTER, 2, Dispatch.EXECUTOR, sharing);
    }

    @Test
    void whenEventFdIsMissingUnderAutoThenASharedChannelRunsInThisProcessWithOneWarningNamingIt(
            CapturedOutput output) {
        EventFdChannelFactory factory = new EventFdChannelFactory(FallbackPolicy.AUTO, event -> { }, MISSING);
        assertThat(factory.implementation()).isEqualTo(CounterImplementation.IN_MEMORY);
        ChannelParts parts = factory.create(shared("orders"));
        assertThat(parts.counter()).isInstanceOf(InMemoryEventCounter.class);
        assertThat(parts.counter().pendingCount()).isEqualTo(2);
        assertThat(SharedChannels.isShared(parts.counter())).isFalse();
        assertThat(output.getAll().split("eventfd channel 'orders' is configured to be shared", -1)).hasSize(2);
        assertThat(output).contains("eventfd channel 'orders' is configured to be shared through "
                + this.directory.resolve("orders.sock") + " but runs in this process only, on an in-JVM counter, "
                + "because eventfd(2) is not available here (" + MISSING + ") and eventfd.fallback is 'auto'");
        assertThat(this.directory).isEmptyDirectory();
    }

    @Test
    void whenTheFallbackIsInMemoryThenASharedChannelRunsInThisProcessWithOneWarningSayingWhy(CapturedOutput output) {
        EventFdChannelFactory factory = new EventFdChannelFactory(FallbackPolicy.IN_MEMORY, event -> { }, null);
        ChannelParts parts = factory.create(shared("config.changed"));
        assertThat(parts.counter()).isInstanceOf(InMemoryEventCounter.class);
        assertThat(output).contains("eventfd channel 'config.changed' is configured to be shared through "
                + this.directory.resolve("config.changed.sock") + " but runs in this process only, on an in-JVM "
                + "counter, because eventfd.fallback is 'in-memory'")
                .contains("Set eventfd.fallback=fail to stop startup instead");
    }

    @Test
    void whenEventFdIsMissingUnderFailThenTheFactoryFails() {
        assertThatExceptionOfType(EventFdUnavailableException.class)
                .isThrownBy(() -> new EventFdChannelFactory(FallbackPolicy.FAIL, event -> { }, MISSING))
                .withMessageContaining("eventfd.fallback is 'fail' and eventfd(2) is not available here");
    }

    @Test
    void whenEventFdIsThereThenASharedChannelIsSharedOnceItOpens(CapturedOutput output) {
        ChannelParts parts = new EventFdChannelFactory(FallbackPolicy.AUTO, event -> { }, null).create(shared("orders"));
        try {
            assertThat(SharedChannels.isShared(parts.counter())).isTrue();
            assertThat(SharedChannels.shared(parts.counter())).isNull();
            assertThat(output).doesNotContain("is configured to be shared");
        }
        finally {
            parts.counter().close();
        }
    }
}
