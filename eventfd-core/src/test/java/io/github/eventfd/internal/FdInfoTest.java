package io.github.eventfd.internal;

import io.github.eventfd.NativeCallException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The one parser of {@code /proc/self/fdinfo}, on the text that kernels of different ages print. */
class FdInfoTest {

    private static final String RECENT_KERNEL = """
            pos:	0
            flags:	02004002
            mnt_id:	15
            ino:	1057
            eventfd-count:               1f
            eventfd-id: 7
            eventfd-semaphore: 1
            """;

    private static final String OLDER_KERNEL = """
            pos:	0
            flags:	02000002
            mnt_id:	15
            eventfd-count:                0
            """;

    @Test
    void whenRecentKernelThenEveryFieldIsRead() {
        FdInfo info = FdInfo.parse(3, RECENT_KERNEL);
        assertThat(info.flags()).isEqualTo(02004002);
        assertThat(info.nonBlocking()).isTrue();
        assertThat(info.eventFdCount()).isEqualTo(31);
        assertThat(info.eventFdId()).isEqualTo("7");
        assertThat(info.eventFdSemaphore()).contains(true);
    }

    @Test
    void whenOlderKernelPrintsNoModeOrIdThenTheyAreReportedMissing() {
        FdInfo info = FdInfo.parse(3, OLDER_KERNEL);
        assertThat(info.nonBlocking()).isFalse();
        assertThat(info.eventFdCount()).isZero();
        assertThat(info.eventFdId()).isNull();
        assertThat(info.eventFdSemaphore()).isEmpty();
    }

    @Test
    void whenDescriptorIsNoEventFdThenItsCountIsRefusedNamingIt() {
        assertThatIllegalStateException().isThrownBy(() -> FdInfo.parse(9, "pos:\t0\nflags:\t02\n").eventFdCount())
                .withMessageContaining("fd 9");
    }

    @Test
    void whenTheFileCannotBeReadThenTheKernelsErrnoIsReported() {
        // not EIO for every failure: under EMFILE the errno is EMFILE (FdExhaustionTest), here ENOENT
        assertThatExceptionOfType(NativeCallException.class).isThrownBy(() -> FdInfo.of(Integer.MAX_VALUE))
                .satisfies(ex -> assertThat(ex.errnoName()).isEqualTo("ENOENT"))
                .withMessageContaining("/proc/self/fdinfo/" + Integer.MAX_VALUE);
    }

    @Test
    void whenCountIsAboveLongMaxValueThenItIsReadUnsigned() {
        assertThat(FdInfo.parse(3, "eventfd-count: fffffffffffffffe\n").eventFdCount()).isEqualTo(-2L);
    }
}
