package io.github.eventfd.share;

import java.nio.charset.StandardCharsets;

import io.github.eventfd.EventFdMode;

import org.jspecify.annotations.Nullable;

/**
 * The messages of the sharing socket, version 1. Every message starts with the magic byte {@code 'E'}
 * and the version, so a peer of another version is told so rather than misread.
 *
 * <pre>
 * hello  (client to server): 'E' 1 kind mode subscribe nameLength name...   + 1 eventfd if subscribe
 * reply  (server to client): 'E' 1 status reasonLength reason...            + 1 eventfd if status is OK
 * </pre>
 * kind: 1 queue, 2 broadcast; mode: 0 counter, 1 semaphore; subscribe: 0 or 1 (broadcast only); status: 0 ok,
 * 1 bad version, 2 unknown channel, 3 mismatch, 4 malformed, 5 denied, 6 descriptor count, 7 not an eventfd,
 * 8 busy. On OK the server passes the queue eventfd (queue) or the fan-in eventfd (broadcast). Every code
 * is explicit and fixed for version 1: reordering the Java enums changes nothing on the wire.
 */
final class ShareProtocol {

    static final byte MAGIC = 'E';

    static final byte VERSION = 1;

    private ShareProtocol() {
    }

    /** A client's request to attach. */
    record Hello(ShareKind kind, EventFdMode mode, boolean subscribe, String channel) {
    }

    /** Reply statuses, each with its code on the wire and the error reason it stands for. */
    enum Status {

        OK(0, null), BAD_VERSION(1, ShareErrorReason.BAD_VERSION), UNKNOWN_CHANNEL(2, ShareErrorReason.UNKNOWN_CHANNEL),
        MISMATCH(3, ShareErrorReason.MISMATCH), MALFORMED(4, ShareErrorReason.MALFORMED),
        DENIED(5, ShareErrorReason.DENIED_UID), FD_COUNT(6, ShareErrorReason.FD_COUNT),
        NOT_EVENTFD(7, ShareErrorReason.NOT_EVENTFD), BUSY(8, ShareErrorReason.TOO_MANY_PEERS);

        /** The byte that stands for this status in a reply; fixed for protocol version 1. */
        final byte code;

        final @Nullable ShareErrorReason reason;

        Status(int code, @Nullable ShareErrorReason reason) {
            this.code = (byte) code;
            this.reason = reason;
        }

        static Status of(ShareErrorReason reason) {
            for (Status status : values()) {
                if (status.reason == reason) {
                    return status;
                }
            }
            return MALFORMED;
        }

        static @Nullable Status ofCode(int code) {
            for (Status status : values()) {
                if (status.code == code) {
                    return status;
                }
            }
            return null;
        }

        /** The error reason a refusal with this status stands for; {@code OK} is no refusal. */
        ShareErrorReason refusalReason() {
            if (this.reason == null) {
                throw new IllegalStateException(this + " is not a refusal");
            }
            return this.reason;
        }
    }

    /** A server's answer. */
    record Reply(Status status, String reason) {
    }

    static byte[] hello(Hello hello) {
        byte[] name = hello.channel().getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[6 + name.length];
        message[0] = MAGIC;
        message[1] = VERSION;
        message[2] = (byte) ((hello.kind() == ShareKind.QUEUE) ? 1 : 2);
        message[3] = (byte) ((hello.mode() == EventFdMode.COUNTER) ? 0 : 1);
        message[4] = (byte) (hello.subscribe() ? 1 : 0);
        message[5] = (byte) name.length;
        System.arraycopy(name, 0, message, 6, name.length);
        return message;
    }

    static Hello parseHello(byte[] message) {
        checkHeader(message, 6);
        ShareKind kind = switch (message[2]) {
            case 1 -> ShareKind.QUEUE;
            case 2 -> ShareKind.BROADCAST;
            default -> throw malformed("unknown channel kind " + message[2]);
        };
        EventFdMode mode = switch (message[3]) {
            case 0 -> EventFdMode.COUNTER;
            case 1 -> EventFdMode.SEMAPHORE;
            default -> throw malformed("unknown mode " + message[3]);
        };
        if (message[4] != 0 && message[4] != 1) {
            throw malformed("subscribe flag must be 0 or 1 but was " + message[4]);
        }
        int nameLength = message[5] & 0xff;
        if (nameLength == 0 || message.length != 6 + nameLength) {
            throw malformed("channel name length " + nameLength + " does not match a message of " + message.length
                    + " bytes");
        }
        String channel = new String(message, 6, nameLength, StandardCharsets.UTF_8);
        return new Hello(kind, mode, message[4] == 1, channel);
    }

    static byte[] reply(Status status, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 255);
        byte[] message = new byte[4 + length];
        message[0] = MAGIC;
        message[1] = VERSION;
        message[2] = status.code;
        message[3] = (byte) length;
        System.arraycopy(text, 0, message, 4, length);
        return message;
    }

    static Reply parseReply(byte[] message) {
        checkHeader(message, 4);
        Status status = Status.ofCode(message[2] & 0xff);
        if (status == null) {
            throw malformed("unknown reply status " + (message[2] & 0xff));
        }
        int length = message[3] & 0xff;
        if (message.length != 4 + length) {
            throw malformed("reason length " + length + " does not match a reply of " + message.length + " bytes");
        }
        return new Reply(status, new String(message, 4, length, StandardCharsets.UTF_8));
    }

    private static void checkHeader(byte[] message, int minimum) {
        if (message.length < 2 || message[0] != MAGIC) {
            throw malformed("not an eventfd sharing message (" + message.length + " bytes)");
        }
        if (message[1] != VERSION) {
            throw new ShareException(ShareErrorReason.BAD_VERSION,
                    "peer speaks protocol version " + message[1] + ", this side speaks " + VERSION);
        }
        if (message.length < minimum) {
            throw malformed("message of " + message.length + " bytes is shorter than " + minimum);
        }
    }

    private static ShareException malformed(String detail) {
        return new ShareException(ShareErrorReason.MALFORMED, detail);
    }
}
