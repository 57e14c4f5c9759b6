package io.github.eventfd.share;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.eventfd.EventFdMode;
import io.github.eventfd.internal.UnixSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broadcast channel served to as many subscriber processes as its default peer limit allows: 1,024 small C
 * processes attach (retrying while the server says busy, as a real client does), the next one is refused, and
 * one signal reaches every one of them with its exact count.
 */
@EnabledOnOs(OS.LINUX)
class ManySubscribersTest extends SharingTestSupport {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void theDefaultPeerLimitServesOneThousandAndTwentyFourSubscriberProcesses() throws Exception {
        int subscribers = ShareOptions.DEFAULT_MAX_PEERS;
        Path socket = this.directory.resolve("chan.sock");
        SharedChannel server = closeLater(SharedChannel.open(ShareOptions.builder("chan", socket)
                .kind(ShareKind.BROADCAST).role(ShareRole.OWNER).build(), this.listener));
        Path program = compile();
        Process process = new ProcessBuilder(program.toString(), socket.toString(), "chan",
                Integer.toString(subscribers), "5").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        closeLater(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        assertThat(output.readLine()).isEqualTo("ATTACHED " + subscribers);
        await().atMost(BOUND).until(() -> server.peers().size() == subscribers);

        ShareProtocol.Reply refused = attachOneMore(socket);
        assertThat(refused.status()).isEqualTo(ShareProtocol.Status.BUSY);
        assertThat(refused.reason()).contains("already serving " + subscribers + " peers");

        server.signal(5);
        assertThat(output.readLine()).isEqualTo("EXITED ok=" + subscribers + " failed=0");
        assertThat(process.waitFor()).isZero();
        await().atMost(BOUND).until(() -> server.peers().isEmpty());
    }

    private ShareProtocol.Reply attachOneMore(Path socket) {
        UnixSocket client = closeLater(UnixSocket.connect(socket));
        client.send(ShareProtocol.hello(new ShareProtocol.Hello(ShareKind.BROADCAST, EventFdMode.COUNTER, false,
                "chan")), new int[0]);
        UnixSocket.Received reply = await().atMost(BOUND).until(client::receive, Objects::nonNull);
        reply.closeFds();
        return ShareProtocol.parseReply(reply.payload());
    }

    private Path compile() throws IOException, InterruptedException {
        Path source = this.directory.resolve("subscribers.c");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("subscribers.c"))) {
            Files.copy(in, source);
        }
        Path binary = this.directory.resolve("subscribers");
        Process gcc = new ProcessBuilder(List.of("gcc", "-O2", "-o", binary.toString(), source.toString()))
                .redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("gcc (this test needs a C compiler): %s", log).isZero();
        return binary;
    }
}
