package io.github.eventfd.spring.bridge;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The wire format; the fuzz through a real Redis is in {@code RedisBridgeTests}. */
class BridgeMessageTests {

    @Test
    void whenEncodedThenItReadsBackTheSameAndIsTheDocumentedText() {
        BridgeMessage message = new BridgeMessage("host-a", "host-a/42/abc", 7, -2L);
        assertThat(new String(message.encode(), StandardCharsets.UTF_8))
                .isEqualTo("1 host-a host-a/42/abc 7 18446744073709551614");
        assertThat(BridgeMessage.decode(message.encode())).isEqualTo(message);
    }

    @Test
    void whenTheLongestValidMessageIsEncodedThenItFitsTheLimitReceiversAccept() {
        String id = "h".repeat(BridgeMessage.MAX_ID_LENGTH);
        BridgeMessage longest = new BridgeMessage(id, id, Long.MAX_VALUE, -2L);
        assertThat(longest.encode().length).isLessThanOrEqualTo(BridgeMessage.MAX_BYTES);
        assertThat(BridgeMessage.decode(longest.encode())).isEqualTo(longest);
    }

    @Test
    void whenBuiltWithAFieldOutOfRangeThenItIsRefusedNamingTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BridgeMessage("two words", "s", 1, 1))
                .withMessageContaining("'host'");
        assertThatIllegalArgumentException().isThrownBy(() -> new BridgeMessage("h", "s", 0, 1))
                .withMessageContaining("'sequence'");
        assertThatIllegalArgumentException().isThrownBy(() -> new BridgeMessage("h", "s", 1, 0))
                .withMessageContaining("'count'");
        assertThatIllegalArgumentException().isThrownBy(() -> new BridgeMessage("h", "s", 1, -1L))
                .withMessageContaining("18446744073709551615");
    }

    @Test
    void whenAnIdHasAnotherScriptOrSeparatorThenTheMessageIsMalformed() {
        for (String body : new String[] { "1 hôst s 1 1", "1 h\ts 1 1", "1 h  s 1 1", "1 h s 1 1 ", " 1 h s 1 1" }) {
            assertThatExceptionOfType(BridgeMessage.RefusedMessageException.class)
                    .isThrownBy(() -> BridgeMessage.decode(body.getBytes(StandardCharsets.UTF_8))).as(body)
                    .satisfies(ex -> assertThat(ex.reason()).isEqualTo(BridgeErrorReason.MALFORMED));
        }
    }
}
