package io.github.eventfd.share;

import java.nio.charset.StandardCharsets;

import io.github.eventfd.EventFdMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Pins the bytes of protocol version 1: peers built from another release must keep understanding them. */
class ShareProtocolTest {

    @Test
    void whenHelloIsWrittenThenItsBytesAreThoseOfVersionOne() {
        assertThat(ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.QUEUE, EventFdMode.COUNTER, false, "ab")))
                .containsExactly('E', 1, 1, 0, 0, 2, 'a', 'b');
        assertThat(ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, EventFdMode.SEMAPHORE, true, "x")))
                .containsExactly('E', 1, 2, 1, 1, 1, 'x');
    }

    @Test
    void whenReplyIsWrittenThenEachStatusHasItsFixedCode() {
        Object[][] codes = { { ShareProtocol.Status.OK, 0 }, { ShareProtocol.Status.BAD_VERSION, 1 },
                { ShareProtocol.Status.UNKNOWN_CHANNEL, 2 }, { ShareProtocol.Status.MISMATCH, 3 },
                { ShareProtocol.Status.MALFORMED, 4 }, { ShareProtocol.Status.DENIED, 5 },
                { ShareProtocol.Status.FD_COUNT, 6 }, { ShareProtocol.Status.NOT_EVENTFD, 7 },
                { ShareProtocol.Status.BUSY, 8 } };
        assertThat(codes.length).isEqualTo(ShareProtocol.Status.values().length);
        for (Object[] code : codes) {
            ShareProtocol.Status status = (ShareProtocol.Status) code[0];
            byte[] reply = ShareProtocol.reply(status, "why");
            assertThat(reply).containsExactly('E', 1, (int) code[1], 3, 'w', 'h', 'y');
            assertThat(ShareProtocol.parseReply(reply)).isEqualTo(new ShareProtocol.Reply(status, "why"));
        }
    }

    @Test
    void whenReplyHasAnUnknownStatusThenItIsRefusedAsMalformed() {
        assertThatExceptionOfType(ShareException.class)
                .isThrownBy(() -> ShareProtocol.parseReply(new byte[] { 'E', 1, 9, 0 }))
                .withMessageContaining("unknown reply status 9")
                .satisfies(ex -> assertThat(ex.reason()).isEqualTo(ShareErrorReason.MALFORMED));
    }

    @Test
    void whenPeerSpeaksAnotherVersionThenItIsToldSo() {
        byte[] hello = "E\u0002".getBytes(StandardCharsets.ISO_8859_1);
        assertThatExceptionOfType(ShareException.class).isThrownBy(() -> ShareProtocol.parseHello(hello))
                .satisfies(ex -> assertThat(ex.reason()).isEqualTo(ShareErrorReason.BAD_VERSION));
    }
}
