package io.github.eventfd.share;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.eventfd.ProcFs;
import io.github.eventfd.internal.LibC;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.UnixSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 random and mutated messages, with no descriptor, the wrong kind, a blocking or semaphore
 * eventfd, or several, sent to a serving broadcast channel: it never stops serving, never keeps a received
 * descriptor it refused, never accepts anything but a non-blocking counter-mode eventfd, and reports a
 * reason for every refusal.
 */
@EnabledOnOs(OS.LINUX)
class ProtocolFuzzTest {

    private static final int MESSAGES = 10_000;

    @TempDir
    Path directory;

    @Test
    void whenTenThousandHostileMessagesArriveThenTheServerSurvivesLeaksNothingAndAcceptsOnlyEventFds() throws Exception {
        Logger shareLogger = Logger.getLogger(SharedChannel.class.getName());
        Level level = shareLogger.getLevel();
        shareLogger.setLevel(Level.SEVERE);
        AtomicLong refusals = new AtomicLong();
        Path socket = this.directory.resolve("fuzz.sock");
        ShareOptions options = ShareOptions.builder("fuzz", socket).kind(ShareKind.BROADCAST).role(ShareRole.OWNER)
                .build();
        try (SharedChannel server = SharedChannel.open(options, new ShareListener() {
            @Override
            public void refused(ShareErrorReason reason, String detail) {
                refusals.incrementAndGet();
            }
        })) {
            long before = ProcFs.openSharingFdCount();
            Random random = new Random(Long.getLong("fuzz.seed", 7));
            byte[] valid = validHello(random.nextBoolean());
            int accepted = 0;
            int wronglyAccepted = 0;
            for (int i = 0; i < MESSAGES; i++) {
                byte[] message = mutate(valid, random);
                Attachment attachment = Attachment.values()[random.nextInt(Attachment.values().length)];
                int[] fds = attachment.open(random);
                try (UnixSocket client = UnixSocket.connect(socket)) {
                    client.send(message, fds);
                    UnixSocket.Received reply = client.receive();
                    if (reply != null && !reply.endOfStream() && reply.payload().length > 2 && reply.payload()[2] == 0) {
                        accepted++;
                        // a blocking eventfd is admitted: any holder can change the flag later, so I/O is made
                        // safe whatever it is instead
                        boolean proper = (attachment == Attachment.COUNTER_EVENTFD
                                || attachment == Attachment.BLOCKING_EVENTFD) && isSubscribe(message)
                                || attachment == Attachment.NONE && isHello(message) && !isSubscribe(message);
                        if (!proper) {
                            wronglyAccepted++;
                        }
                    }
                    if (reply != null) {
                        reply.closeFds();
                    }
                }
                finally {
                    for (int fd : fds) {
                        Posix.closeQuietly(fd);
                    }
                }
            }
            assertThat(wronglyAccepted).isZero();
            int refused = MESSAGES - accepted;
            // the server counts a refusal just after sending it: the last count may trail the last reply
            await().atMost(Duration.ofSeconds(10)).until(() -> refusals.get() == refused);
            assertThat(server.state()).isEqualTo(ShareState.SERVING);
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcFs.openSharingFdCount() == before);
            System.out.printf("fuzz: %d messages, %d accepted as valid, %d refused with a reason, descriptors %d before"
                    + " and after%n", MESSAGES, accepted, refusals.get(), before);
        }
        finally {
            shareLogger.setLevel(level);
        }
    }

    /** What a fuzz message carries besides its bytes. */
    enum Attachment {

        NONE, COUNTER_EVENTFD, SEMAPHORE_EVENTFD, BLOCKING_EVENTFD, EPOLL, SOCKET, SEVERAL, TOO_MANY;

        int[] open(Random random) {
            return switch (this) {
                case NONE -> new int[0];
                case COUNTER_EVENTFD -> new int[] { Posix.eventfd(0, false) };
                case SEMAPHORE_EVENTFD -> new int[] { Posix.eventfd(0, true) };
                case BLOCKING_EVENTFD -> new int[] { LibC.eventfd(0, Linux.EFD_CLOEXEC) };
                case EPOLL -> new int[] { Posix.epollCreate() };
                case SOCKET -> new int[] { LibC.socket(Linux.AF_UNIX, Linux.SOCK_SEQPACKET | Linux.SOCK_CLOEXEC, 0) };
                case SEVERAL -> new int[] { Posix.eventfd(0, false), Posix.eventfd(0, false) };
                case TOO_MANY -> {
                    int[] fds = new int[UnixSocket.MAX_RECEIVED_FDS + 1 + random.nextInt(3)];
                    for (int i = 0; i < fds.length; i++) {
                        fds[i] = Posix.eventfd(0, false);
                    }
                    yield fds;
                }
            };
        }
    }

    private static byte[] validHello(boolean subscribe) {
        byte[] name = "fuzz".getBytes();
        byte[] hello = new byte[6 + name.length];
        hello[0] = 'E';
        hello[1] = 1;
        hello[2] = 2;
        hello[3] = 0;
        hello[4] = (byte) (subscribe ? 1 : 0);
        hello[5] = (byte) name.length;
        System.arraycopy(name, 0, hello, 6, name.length);
        return hello;
    }

    private static boolean isHello(byte[] message) {
        return message.length == 10 && message[0] == 'E' && message[1] == 1 && message[2] == 2 && message[3] == 0
                && (message[4] == 0 || message[4] == 1) && message[5] == 4 && new String(message, 6, 4).equals("fuzz");
    }

    private static boolean isSubscribe(byte[] message) {
        return isHello(message) && message[4] == 1;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        switch (random.nextInt(8)) {
            case 0 -> {
                byte[] noise = new byte[1 + random.nextInt(UnixSocket.MAX_PAYLOAD)];
                random.nextBytes(noise);
                return noise;
            }
            case 1 -> {
                return Arrays.copyOf(valid, 1 + random.nextInt(valid.length));
            }
            case 2 -> {
                byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(20));
                return longer;
            }
            case 3 -> {
                byte[] hello = validHello(random.nextBoolean());
                return hello;
            }
            default -> {
                byte[] copy = validHello(random.nextBoolean());
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                return copy;
            }
        }
    }
}
