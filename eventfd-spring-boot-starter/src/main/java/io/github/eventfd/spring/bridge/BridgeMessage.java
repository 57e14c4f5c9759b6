package io.github.eventfd.spring.bridge;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The message a bridge sends for one channel, the same for every engine: version 1 is the text
 * {@code "1 <host> <sender> <sequence> <count>"}, fields separated by one space.
 * <ul>
 * <li>{@code host}: the host the count was signalled on; a host drops messages of its own (no echo).</li>
 * <li>{@code sender}: the process that sent it, a new id at each start; with {@code sequence} (1, 2, ... per
 * sender and channel) it makes a message that is sent again after a timeout count once.</li>
 * <li>{@code count}: unsigned decimal, 1 to 0xfffffffffffffffe.</li>
 * </ul>
 * An id is 1 to {@value #MAX_ID_LENGTH} characters of letters, digits and {@code . _ : / @ -}. Whatever is not
 * such a message is refused with a {@link BridgeErrorReason}, before anything is delivered.
 *
 * @param host the host the count was signalled on
 * @param sender the process that sent it
 * @param sequence its number among the messages of the sender on the channel, 1 or more
 * @param count the unsigned count
 */
public record BridgeMessage(String host, String sender, long sequence, long count) {

    /** The version this bridge writes and reads. */
    public static final int VERSION = 1;

    /** The longest id, host or sender. */
    public static final int MAX_ID_LENGTH = 128;

    /** The longest message a bridge sends, in bytes; anything longer is refused unread. */
    public static final int MAX_BYTES = 2 * MAX_ID_LENGTH + 64;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:/@-]{1," + MAX_ID_LENGTH + "}");

    private static final Pattern UNSIGNED = Pattern.compile("[0-9]{1,20}");

    /**
     * Check the fields.
     * @throws IllegalArgumentException if an id is not allowed, the sequence is not positive or the count is
     * out of range
     */
    public BridgeMessage {
        checkId("host", host);
        checkId("sender", sender);
        if (sequence < 1) {
            throw new IllegalArgumentException("'sequence' must be 1 or more but was " + sequence);
        }
        if (count == 0 || Long.compareUnsigned(count, OutgoingSignals.MAX_COUNT) > 0) {
            throw new IllegalArgumentException("'count' must be between 1 and 18446744073709551614 but was "
                    + Long.toUnsignedString(count));
        }
    }

    /**
     * Whether {@code id} may be a host or sender id.
     * @param id the id
     * @return {@code true} if it is 1 to 128 letters, digits and {@code . _ : / @ -}
     */
    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    private static void checkId(String name, String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("'" + name + "' must be 1 to " + MAX_ID_LENGTH
                    + " letters, digits and . _ : / @ - but was '" + id + "'");
        }
    }

    /**
     * The message as sent.
     * @return its bytes, UTF-8
     */
    public byte[] encode() {
        return (VERSION + " " + this.host + " " + this.sender + " " + this.sequence + " "
                + Long.toUnsignedString(this.count)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Read a message, refusing anything that is not a valid one.
     * @param bytes what arrived
     * @return the message
     * @throws RefusedMessageException with the reason, if it is not a valid message
     */
    public static BridgeMessage decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new RefusedMessageException(BridgeErrorReason.TOO_LARGE, bytes.length + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] fields = text.split(" ", -1);
        if (fields.length == 0 || !UNSIGNED.matcher(fields[0]).matches()) {
            throw new RefusedMessageException(BridgeErrorReason.MALFORMED, "no version");
        }
        if (!fields[0].equals(Integer.toString(VERSION))) {
            throw new RefusedMessageException(BridgeErrorReason.UNKNOWN_VERSION, "version " + fields[0]);
        }
        if (fields.length != 5 || !isValidId(fields[1]) || !isValidId(fields[2])
                || !UNSIGNED.matcher(fields[3]).matches()) {
            throw new RefusedMessageException(BridgeErrorReason.MALFORMED, "not '1 <host> <sender> <seq> <count>'");
        }
        long sequence;
        try {
            sequence = Long.parseLong(fields[3]);
        }
        catch (NumberFormatException ex) {
            throw new RefusedMessageException(BridgeErrorReason.MALFORMED, "sequence out of range");
        }
        if (sequence < 1) {
            throw new RefusedMessageException(BridgeErrorReason.MALFORMED, "sequence 0");
        }
        if (!UNSIGNED.matcher(fields[4]).matches()) {
            throw new RefusedMessageException(BridgeErrorReason.INVALID_COUNT, "count is not an unsigned number");
        }
        long count;
        try {
            count = Long.parseUnsignedLong(fields[4]);
        }
        catch (NumberFormatException ex) {
            throw new RefusedMessageException(BridgeErrorReason.INVALID_COUNT, "count above 2^64 - 1");
        }
        if (count == 0 || Long.compareUnsigned(count, OutgoingSignals.MAX_COUNT) > 0) {
            throw new RefusedMessageException(BridgeErrorReason.INVALID_COUNT, "count " + Long.toUnsignedString(count));
        }
        return new BridgeMessage(fields[1], fields[2], sequence, count);
    }

    /**
     * A message that was refused.
     */
    public static final class RefusedMessageException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final BridgeErrorReason reason;

        RefusedMessageException(BridgeErrorReason reason, String detail) {
            super(reason.tag() + ": " + detail, null, false, false);
            this.reason = reason;
        }

        /**
         * Why it was refused.
         * @return the reason
         */
        public BridgeErrorReason reason() {
            return this.reason;
        }
    }
}
