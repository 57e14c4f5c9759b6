package io.github.eventfd.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the Redis protocol (RESP2) for PUBLISH and SUBSCRIBE, written here rather than adding a
 * client library for one benchmark row; also what the bridge rows ask Redis about itself (subscribers, INFO).
 */
final class Resp implements Closeable {

    private final Socket socket;

    private final OutputStream out;

    private final InputStream in;

    Resp(String host, int port) throws IOException {
        this.socket = new Socket();
        this.socket.connect(new InetSocketAddress(host, port), 500);
        this.socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(this.socket.getOutputStream());
        this.in = new BufferedInputStream(this.socket.getInputStream());
    }

    /** Whether a Redis server answers PING on that address. */
    static boolean reachable(String host, int port) {
        try (Resp resp = new Resp(host, port)) {
            resp.send("PING");
            return "PONG".equals(resp.read());
        }
        catch (IOException ex) {
            return false;
        }
    }

    /**
     * Wait until every topic has {@code count} subscribers: the bridges subscribe on their own thread once their
     * application has started.
     * @throws IOException if that does not happen within 30 s
     */
    static void awaitSubscribers(int port, long count, String... topics) throws IOException, InterruptedException {
        try (Resp resp = new Resp("127.0.0.1", port)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                String[] command = new String[topics.length + 2];
                command[0] = "PUBSUB";
                command[1] = "NUMSUB";
                System.arraycopy(topics, 0, command, 2, topics.length);
                resp.send(command);
                List<?> reply = (List<?>) resp.read();
                boolean all = true;
                for (int i = 1; i < reply.size(); i += 2) {
                    all &= ((Long) reply.get(i)) >= count;
                }
                if (all) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("fewer than " + count + " subscribers on " + List.of(topics) + " after 30 s: "
                            + reply);
                }
                // polling Redis, which has no way to announce a subscriber
                Thread.sleep(10);
            }
        }
    }

    /**
     * A number from {@code INFO section}.
     * @param section for example {@code stats} or {@code commandstats}
     * @param field the field, for example {@code total_commands_processed}, or a command's stats line with the
     * entry after it ({@code cmdstat_publish:calls})
     * @return its value, 0 if Redis does not show it (a command never called)
     */
    long info(String section, String field) throws IOException {
        send("INFO", section);
        String text = (String) read();
        String[] path = field.split(":", 2);
        for (String line : text.split("\r\n")) {
            if (!line.startsWith(path[0] + ":")) {
                continue;
            }
            String value = line.substring(path[0].length() + 1);
            if (path.length == 1) {
                return Long.parseLong(value.trim());
            }
            for (String entry : value.split(",")) {
                if (entry.startsWith(path[1] + "=")) {
                    return Long.parseLong(entry.substring(path[1].length() + 1).trim());
                }
            }
        }
        return 0;
    }

    void send(String... args) throws IOException {
        StringBuilder command = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            command.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        this.out.write(command.toString().getBytes(StandardCharsets.UTF_8));
        this.out.flush();
    }

    Object read() throws IOException {
        int type = this.in.read();
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IOException("redis error: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> bulk(Integer.parseInt(line));
            case '*' -> {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("unexpected redis reply type " + type);
        };
    }

    private String bulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = this.in.readNBytes(length + 2);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = this.in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            line.append((char) c);
        }
        this.in.read();
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }
}
