package io.github.eventfd;

import java.math.BigInteger;

/**
 * Helpers for eventfd counts, which are unsigned 64-bit values carried in a Java {@code long}.
 *
 * <p>A count above {@link Long#MAX_VALUE} (possible up to {@link EventFd#MAX_COUNT}) looks negative as a
 * signed long. Print and compare counts with these methods, not with {@code <} or {@code String.valueOf}.
 */
public final class UnsignedCount {

    private UnsignedCount() {
    }

    /**
     * Decimal text of a count.
     * @param count the unsigned count
     * @return for example {@code "18446744073709551614"} for {@link EventFd#MAX_COUNT}
     */
    public static String toString(long count) {
        return Long.toUnsignedString(count);
    }

    /**
     * Compare two counts as unsigned values.
     * @param a the first count
     * @param b the second count
     * @return negative, zero or positive as {@code a} is below, equal to or above {@code b}
     */
    public static int compare(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    /**
     * A count as a {@link BigInteger}, for arithmetic that must not wrap.
     * @param count the unsigned count
     * @return its exact value
     */
    public static BigInteger toBigInteger(long count) {
        BigInteger value = BigInteger.valueOf(count & Long.MAX_VALUE);
        return (count < 0) ? value.setBit(63) : value;
    }

    /**
     * A count as the nearest {@code double}, for meters and rates; exact up to 2^53.
     * @param count the unsigned count
     * @return its value, never negative
     */
    public static double toDouble(long count) {
        // halve as unsigned, convert, double again: the lowest bit only matters where a double cannot hold it
        return (count >= 0) ? count : (count >>> 1) * 2.0 + (count & 1);
    }

    /**
     * Parse a decimal count.
     * @param text decimal digits, 0 to 18446744073709551615
     * @return the count in a long
     * @throws NumberFormatException if the text is not such a number
     */
    public static long parse(String text) {
        return Long.parseUnsignedLong(text);
    }
}
