package io.github.eventfd.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.EventFdPoller;
import io.github.eventfd.NativeCallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The FFM backend calls every fixed-arity function through one shape (six longs to a long), widening ints
 * by sign extension and narrowing results. These calls give negative ints, ints with the top bit set, results
 * of -1 and data above 2^31 to both backends, which must agree with C.
 */
@EnabledOnOs(OS.LINUX)
class OneShapeWideningAttackTest {

    private static final NativeCalls CALLS = NativeCalls.INSTANCE;

    private static final int EINVAL = 22;

    private static final int EPOLLET = 1 << 31;

    @Test
    void backendInUse() {
        System.out.println("backend " + CALLS.name() + " on JDK " + Runtime.version().feature());
    }

    @Test
    void initialValuesWithTheTopBitOfAnIntSetAreUnsignedToTheKernel() {
        try (EventFd max = EventFd.create(EventFdMode.COUNTER, EventFd.MAX_INITIAL_VALUE);
             EventFd half = EventFd.create(EventFdMode.COUNTER, 0x8000_0000L)) {
            assertThat(max.pendingCount()).isEqualTo(0xffff_ffffL);
            assertThat(half.pendingCount()).isEqualTo(0x8000_0000L);
            assertThat(max.tryRead()).isEqualTo(0xffff_ffffL);
        }
    }

    @Test
    void negativeDescriptorsFailWithEbadfAndResultsAreMinusOne() {
        assertThat(CALLS.close(-1)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(CALLS.close(Integer.MIN_VALUE)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(CALLS.read(-1, Scratch.current().address(), 8)).isEqualTo(-1L);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(CALLS.write(-1, Scratch.one(), 8)).isEqualTo(-1L);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(CALLS.fchmod(-1, 0600)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(CALLS.flock(-1, 2)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(CALLS.listen(-1, -1)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        assertThat(CALLS.accept4(-1, 0, 0, Integer.MIN_VALUE)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isIn(Errno.EBADF, EINVAL);
        assertThat(CALLS.epollWait(-1, Scratch.current().address(), 1, -1)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
        // kcmp with negative descriptors: a long result of -1, not 0xffffffff
        assertThat(CALLS.syscall(312, CALLS.getpid(), CALLS.getpid(), Linux.KCMP_FILE, -1, -1)).isEqualTo(-1L);
        assertThat(CALLS.lastErrno()).isEqualTo(Errno.EBADF);
    }

    @Test
    void flagsWithTheTopBitSetAreRefusedAsInvalid() {
        assertThat(CALLS.eventfd(0, Integer.MIN_VALUE)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(EINVAL);
        assertThat(CALLS.epollCreate1(Integer.MIN_VALUE)).isEqualTo(-1);
        assertThat(CALLS.lastErrno()).isEqualTo(EINVAL);
        assertThat(CALLS.strerror(-1)).isEqualTo("Unknown error -1");
        assertThat(CALLS.getpid()).isEqualTo((int) ProcessHandle.current().pid());
    }

    @Test
    void epollWithEdgeTriggeredOneShotAndDataAboveTwoToThe31RoundTrips() {
        int epfd = Posix.epollCreate();
        try (EventFd eventFd = EventFd.create()) {
            long data = 0xdead_beef_cafe_f00dL;
            int fd = eventFd.descriptorNumber();
            Posix.epollCtl(epfd, Linux.EPOLL_CTL_ADD, fd,
                    Scratch.current().epollEvent(Linux.EPOLLIN | EPOLLET | Linux.EPOLLONESHOT, data));
            EpollEventArray events = new EpollEventArray(4);
            assertThat(Posix.epollWait(epfd, events, 0)).isZero();
            eventFd.signal();
            assertThat(Posix.epollWait(epfd, events, -1)).isEqualTo(1);
            assertThat(events.data(0)).isEqualTo(data);
            // one-shot: disarmed now, however readable
            eventFd.signal();
            assertThat(Posix.epollWait(epfd, events, 0)).isZero();
            // a bad op and a negative maxevents: -1 with EINVAL
            assertThat(CALLS.epollCtl(epfd, -1, fd, Scratch.current().epollEvent(Linux.EPOLLIN, 1))).isEqualTo(-1);
            assertThat(CALLS.lastErrno()).isEqualTo(EINVAL);
            assertThat(CALLS.epollWait(epfd, events.address(), -1, 0)).isEqualTo(-1);
            assertThat(CALLS.lastErrno()).isEqualTo(EINVAL);
            assertThatThrownBy(() -> Posix.epollCtl(epfd, Linux.EPOLL_CTL_ADD, fd,
                    Scratch.current().epollEvent(Linux.EPOLLIN, 1))).isInstanceOf(NativeCallException.class)
                    .hasMessageContaining("epoll_ctl");
        }
        finally {
            Posix.closeQuietly(epfd);
        }
    }

    @Test
    void preadv2WithOffsetMinusOneAndBadFlags() {
        try (EventFd eventFd = EventFd.create()) {
            eventFd.signal(0x1_0000_0001L);
            Scratch scratch = Scratch.current();
            int fd = eventFd.descriptorNumber();
            // flags with the top bit set: refused, counter untouched
            assertThat(CALLS.preadv2(fd, scratch.address() + Scratch.VALUE_IOVEC, 1, -1L, Integer.MIN_VALUE))
                    .isEqualTo(-1L);
            assertThat(CALLS.lastErrno()).isIn(95, EINVAL);
            assertThat(eventFd.pendingCount()).isEqualTo(0x1_0000_0001L);
            assertThat(Posix.readCounter(fd, scratch)).isEqualTo(0x1_0000_0001L);
            assertThat(Posix.readCounter(fd, scratch)).isZero();
        }
    }

    @Test
    void pollWithTimeoutMinusOneReturnsForAReadableDescriptor() {
        try (EventFd eventFd = EventFd.create(); EventFd other = EventFd.create()) {
            eventFd.signal();
            assertThat(Posix.pollIn(Scratch.current(), eventFd.descriptorNumber(), other.descriptorNumber(), -1))
                    .isEqualTo(1);
            assertThat(eventFd.read(Duration.ofSeconds(1))).isEqualTo(1);
        }
    }

    @Test
    void errnoIsPerThreadUnderConcurrentFailures() throws Exception {
        int rounds = 20_000;
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread badFd = new Thread(() -> {
            await(start);
            for (int i = 0; i < rounds && wrong.get() == null; i++) {
                if (CALLS.close(-1) != -1 || CALLS.lastErrno() != Errno.EBADF) {
                    wrong.set("EBADF thread saw " + CALLS.lastErrno());
                }
            }
        });
        Thread badFlags = new Thread(() -> {
            await(start);
            for (int i = 0; i < rounds && wrong.get() == null; i++) {
                if (CALLS.eventfd(0, Integer.MIN_VALUE) != -1 || CALLS.lastErrno() != EINVAL) {
                    wrong.set("EINVAL thread saw " + CALLS.lastErrno());
                }
            }
        });
        badFd.start();
        badFlags.start();
        badFd.join();
        badFlags.join();
        assertThat(wrong.get()).isNull();
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsSeeTheirOwnErrno() throws Exception {
        ExecutorService virtualThreads = (ExecutorService) Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        int threads = 64;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicReference<String> wrong = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            boolean even = (t % 2) == 0;
            virtualThreads.execute(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        int expected = even ? Errno.EBADF : EINVAL;
                        int result = even ? CALLS.close(-1) : CALLS.eventfd(0, Integer.MIN_VALUE);
                        Thread.yield();
                        int errno = CALLS.lastErrno();
                        if (result != -1 || errno != expected) {
                            wrong.compareAndSet(null, "expected " + expected + " saw " + errno);
                        }
                    }
                }
                finally {
                    done.countDown();
                }
            });
        }
        done.await();
        virtualThreads.shutdown();
        assertThat(wrong.get()).isNull();
    }

    @Test
    void pollerDeliversThroughTheOneShapeWithLargeCounts() throws Exception {
        try (EventFdPoller poller = EventFdPoller.builder().threadName("atk-ffm-poller").start();
             EventFd eventFd = EventFd.create()) {
            AtomicReference<Long> got = new AtomicReference<>();
            CountDownLatch delivered = new CountDownLatch(1);
            poller.register(eventFd, (fd, count) -> {
                got.set(count);
                delivered.countDown();
            });
            eventFd.signalUnsigned(0xffff_ffff_0000_0001L);
            assertThat(delivered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(got.get()).isEqualTo(0xffff_ffff_0000_0001L);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
