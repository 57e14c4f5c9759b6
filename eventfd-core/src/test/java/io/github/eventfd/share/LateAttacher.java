package io.github.eventfd.share;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A participant for the fault tests that attaches only when told: it prints {@code waiting}, and on
 * {@code attach} opens the channel (role attach, 30 s to find a server) and prints {@code attached state=...}.
 * Arguments: socket.
 */
public final class LateAttacher {

    private LateAttacher() {
    }

    public static void main(String[] args) throws Exception {
        ShareOptions options = ShareOptions.builder("chan", Path.of(args[0])).role(ShareRole.ATTACH)
                .reconnectInterval(Duration.ofMillis(50)).attachTimeout(Duration.ofSeconds(30)).build();
        System.out.println("waiting");
        CommandLoop.run(Map.of(
                "attach", words -> {
                    SharedChannel channel = SharedChannel.open(options);
                    return "attached state=" + channel.state();
                },
                "stop", words -> "stopped"));
    }
}
