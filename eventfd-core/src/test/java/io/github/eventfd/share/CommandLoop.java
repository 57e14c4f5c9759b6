package io.github.eventfd.share;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * The command loop of the participant programs that the multi-process tests drive: one command a line on
 * standard input ({@code name arg...}), one answer a line on standard output; {@code stop} answers with what
 * its handler says and ends the process.
 */
final class CommandLoop {

    private CommandLoop() {
    }

    static void run(Map<String, Function<String[], String>> commands) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            Function<String[], String> command = commands.get(words[0]);
            System.out.println((command != null) ? command.apply(words) : "unknown " + line);
            if (words[0].equals("stop")) {
                System.exit(0);
            }
        }
    }
}
