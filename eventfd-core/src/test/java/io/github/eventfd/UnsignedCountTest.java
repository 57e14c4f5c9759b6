package io.github.eventfd;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UnsignedCountTest {

    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void whenCountFitsInALongThenItsValueIsThatLong() {
        assertThat(UnsignedCount.toDouble(0)).isZero();
        assertThat(UnsignedCount.toDouble(7)).isEqualTo(7.0);
        assertThat(UnsignedCount.toDouble(Long.MAX_VALUE)).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).doubleValue());
        assertThat(UnsignedCount.toBigInteger(Long.MAX_VALUE)).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE));
    }

    @Test
    void whenCountIsAboveLongMaxValueThenItIsReadAsUnsigned() {
        for (long count : new long[] { Long.MIN_VALUE, Long.MIN_VALUE + 1, -3, EventFd.MAX_COUNT, -1 }) {
            BigInteger exact = BigInteger.valueOf(count).add(TWO_TO_THE_64);
            assertThat(UnsignedCount.toBigInteger(count)).isEqualTo(exact);
            assertThat(UnsignedCount.toDouble(count)).isEqualTo(exact.doubleValue()).isPositive();
            assertThat(UnsignedCount.toString(count)).isEqualTo(exact.toString());
            assertThat(UnsignedCount.parse(exact.toString())).isEqualTo(count);
            assertThat(UnsignedCount.compare(count, Long.MAX_VALUE)).isPositive();
        }
        assertThat(UnsignedCount.toString(EventFd.MAX_COUNT)).isEqualTo("18446744073709551614");
    }

    @Test
    void whenTextIsNotACountThenParseRefusesIt() {
        assertThatExceptionOfType(NumberFormatException.class).isThrownBy(() -> UnsignedCount.parse("-1"));
        assertThatExceptionOfType(NumberFormatException.class)
                .isThrownBy(() -> UnsignedCount.parse("18446744073709551616"));
    }
}
