package io.github.eventfd.share;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.eventfd.TestClasspath;

/** A {@code ShareParticipant} JVM started by a test, with its standard input and output. */
final class Participant implements AutoCloseable {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    private final Process process;

    private final PrintWriter input;

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Participant(Process process) {
        this.process = process;
        this.input = new PrintWriter(process.getOutputStream(), true);
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                String line;
                while ((line = output.readLine()) != null) {
                    this.lines.add(line);
                }
            }
            catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    static Participant start(List<String> prefix, String classpath, Path socket, String kind, String mode, String role,
            boolean consume, String permissions, String uids, long attachTimeoutMillis) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(TestClasspath.java(), "-XX:TieredStopAtLevel=1", "-cp", classpath,
                ShareParticipant.class.getName(), socket.toString(), kind, mode, role, Boolean.toString(consume),
                permissions, uids, Long.toString(attachTimeoutMillis)));
        return launch(command, ProcessBuilder.Redirect.INHERIT);
    }

    /** Start any command that answers line by line on standard output. */
    static Participant launch(List<String> command, ProcessBuilder.Redirect errors) {
        try {
            return new Participant(new ProcessBuilder(command).redirectError(errors).start());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Send a command and wait for the line that answers it. */
    String ask(String command, String answer) throws InterruptedException {
        send(command);
        return expect(answer);
    }


    String expect(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            String line = this.lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within 30s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    Map<String, String> report() throws InterruptedException {
        send("report");
        return fields(expect("report"));
    }

    Map<String, String> stop() throws InterruptedException {
        send("stop");
        Map<String, String> fields = fields(expect("report"));
        waitFor(Duration.ofSeconds(20));
        return fields;
    }

    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = FIELD.matcher(line);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }

    void send(String command) {
        this.input.println(command);
    }

    void killHard() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(20, TimeUnit.SECONDS);
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("participant did not exit within " + timeout);
        }
        return this.process.exitValue();
    }

    @Override
    public void close() {
        this.process.destroyForcibly();
    }
}
