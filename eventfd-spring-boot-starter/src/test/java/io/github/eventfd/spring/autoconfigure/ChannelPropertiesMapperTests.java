package io.github.eventfd.spring.autoconfigure;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.share.ShareKind;
import io.github.eventfd.spring.channel.ChannelDefinition;
import io.github.eventfd.spring.channel.Dispatch;
import io.github.eventfd.spring.channel.EventFdChannelLifecycle;
import io.github.eventfd.spring.channel.InvalidSettingException;
import io.github.eventfd.spring.channel.SignalTiming;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChannelPropertiesMapperTests {

    private final EventFdProperties properties = new EventFdProperties();

    private final ChannelPropertiesMapper mapper = new ChannelPropertiesMapper(this.properties);

    @Test
    void whenChannelConfiguredThenDefinitionCarriesItsSettingsAndUnconfiguredOnesGetDefaults() {
        EventFdProperties.Channel orders = new EventFdProperties.Channel();
        orders.setMode(EventFdMode.SEMAPHORE);
        orders.setInitialValue(3);
        orders.setDispatch(Dispatch.INLINE);
        this.properties.getChannels().put("orders", orders);
        List<ChannelDefinition> definitions = this.mapper.definitions(new LinkedHashSet<>(List.of("orders", "audit")));
        assertThat(definitions).containsExactly(
                new ChannelDefinition("orders", EventFdMode.SEMAPHORE, 3, Dispatch.INLINE, null),
                ChannelDefinition.withDefaults("audit"));
    }

    @Test
    void whenSignalTimingConfiguredThenTheDefinitionCarriesItAndAfterCommitIsTheDefault() {
        EventFdProperties.Channel orders = new EventFdProperties.Channel();
        orders.setSignalTiming(SignalTiming.IMMEDIATE);
        this.properties.getChannels().put("orders", orders);
        List<ChannelDefinition> definitions = this.mapper.definitions(new LinkedHashSet<>(List.of("orders", "audit")));
        assertThat(definitions).extracting(ChannelDefinition::signalTiming)
                .containsExactly(SignalTiming.IMMEDIATE, SignalTiming.AFTER_COMMIT);
    }

    @Test
    void whenSocketConfiguredThenChannelIsSharedWithTheCurrentUidByDefault() {
        EventFdProperties.Channel orders = new EventFdProperties.Channel();
        orders.getShare().setSocket(Path.of("/run/orders.sock"));
        orders.getShare().setKind(ShareKind.BROADCAST);
        orders.getShare().setSocketMode("0640");
        this.properties.getChannels().put("orders", orders);
        ChannelDefinition definition = this.mapper.definitions(Set.of("orders")).get(0);
        assertThat(definition.sharing()).isNotNull().satisfies(sharing -> {
            assertThat(sharing.socket()).isEqualTo(Path.of("/run/orders.sock"));
            assertThat(sharing.kind()).isEqualTo(ShareKind.BROADCAST);
            assertThat(sharing.allowedUids()).singleElement().isNotNull();
            assertThat(sharing.socketPermissions()).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);
            assertThat(sharing.maxPeers()).isEqualTo(1024);
        });
    }

    @Test
    void whenMaxPeersConfiguredThenTheSharingCarriesItAndAnOutOfRangeValueNamesItsProperty() {
        EventFdProperties.Channel orders = new EventFdProperties.Channel();
        orders.getShare().setSocket(Path.of("/run/orders.sock"));
        orders.getShare().setMaxPeers(4096);
        this.properties.getChannels().put("orders", orders);
        assertThat(this.mapper.definitions(Set.of("orders")).get(0).sharing()).isNotNull()
                .satisfies(sharing -> assertThat(sharing.maxPeers()).isEqualTo(4096));
        orders.getShare().setMaxPeers(0);
        assertThatExceptionOfType(InvalidEventFdPropertyException.class)
                .isThrownBy(() -> this.mapper.definitions(Set.of("orders"))).satisfies(ex -> {
                    assertThat(ex.getProperty()).isEqualTo("eventfd.channels.orders.share.max-peers");
                    assertThat(ex.getValue()).isEqualTo(0);
                    assertThat(ex.getProblem()).isEqualTo("must be between 1 and 65536 but was 0");
                });
    }

    @Test
    void whenAChannelSettingIsRefusedThenTheExceptionNamesItsPropertyWithBracketsWhereTheNameNeedsThem() {
        EventFdProperties.Channel channel = new EventFdProperties.Channel();
        Path socket = Path.of("/" + "x".repeat(120));
        channel.getShare().setSocket(socket);
        this.properties.getChannels().put("orders.created", channel);
        assertThatExceptionOfType(InvalidEventFdPropertyException.class)
                .isThrownBy(() -> this.mapper.definitions(Set.of("orders.created"))).satisfies(ex -> {
                    assertThat(ex.getProperty()).isEqualTo("eventfd.channels[orders.created].share.socket");
                    assertThat(ex.getValue()).isEqualTo(socket);
                    assertThat(ex.getProblem()).startsWith("must be at most 107 bytes");
                });
    }

    @Test
    void whenAConfiguredChannelNameIsRefusedThenTheExceptionNamesItsKey() {
        this.properties.getChannels().put("Bad/Name", new EventFdProperties.Channel());
        assertThatExceptionOfType(InvalidEventFdPropertyException.class)
                .isThrownBy(() -> this.mapper.definitions(Set.of("Bad/Name"))).satisfies(ex -> {
                    assertThat(ex.getProperty()).isEqualTo("eventfd.channels[Bad/Name]");
                    assertThat(ex.getValue()).isEqualTo("Bad/Name");
                    assertThat(ex.getAction()).contains("eventfd.channels[Bad-Name]");
                });
    }

    @Test
    void whenLifecycleSettingRejectedThenTheMessageNamesItsProperty() {
        this.properties.getPoller().setMaxEventsPerWait(5000);
        assertThatIllegalArgumentException().isThrownBy(this.mapper::lifecycleSettings)
                .isNotInstanceOf(InvalidSettingException.class)
                .withMessage("'eventfd.poller.max-events-per-wait' must be between 1 and 4096 but was 5000");
        this.properties.getPoller().setMaxEventsPerWait(64);
        this.properties.getPoller().setThreadName("");
        assertThatIllegalArgumentException().isThrownBy(this.mapper::lifecycleSettings)
                .withMessage("'eventfd.poller.thread-name' must not be blank but was ''");
    }

    @Test
    void whenSettingsBuiltInJavaThenTheMessageNamesTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EventFdChannelLifecycle.Settings("poller", 0, Duration.ZERO))
                .withMessage("'maxEventsPerWait' must be between 1 and 4096 but was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChannelDefinition("a", EventFdMode.COUNTER, -1, Dispatch.EXECUTOR, null))
                .withMessage("'initialValue' must be between 0 and 4294967295 but was -1");
    }

    @Test
    void whenExecutorThreadsUnsetThenOnePerExecutorChannel() {
        EventFdProperties.Channel inline = new EventFdProperties.Channel();
        inline.setDispatch(Dispatch.INLINE);
        this.properties.getChannels().put("b", inline);
        assertThat(this.mapper.listenerThreads(Set.of("a", "b", "c"))).isEqualTo(2);
        assertThat(this.mapper.listenerThreads(Set.of("b"))).isEqualTo(1);
        this.properties.getListener().setExecutorThreads(7);
        assertThat(this.mapper.listenerThreads(Set.of("a"))).isEqualTo(7);
    }
}
