package io.github.eventfd;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.eventfd.internal.EpollEventArray;
import io.github.eventfd.internal.Linux;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;
import org.jspecify.annotations.Nullable;

/**
 * One daemon platform thread in epoll_wait(2) for every read that waits parked: while a read waits, its
 * eventfd is in the epoll set with {@code EPOLLONESHOT}, and an event unparks the handle's parked readers,
 * which read the counter and re-arm if they got nothing. Readers add, re-arm and remove interests
 * themselves (epoll_ctl(2) is safe beside epoll_wait), so the thread is never woken for them and needs no
 * wake-up descriptor. Created by the first read that parks and kept for the life of the JVM, as the JDK
 * keeps its own pollers for the I/O of virtual threads; asleep in the kernel while nothing is signalled.
 */
final class ReadinessWaiter implements Runnable {

    private static final int INTEREST = Linux.EPOLLIN | Linux.EPOLLONESHOT;

    private static final Object CREATION = new Object();

    private static volatile @Nullable ReadinessWaiter instance;

    private final int epoll;

    private final EpollEventArray events = new EpollEventArray(64);

    private final ConcurrentHashMap<Long, ParkedReaders> interests = new ConcurrentHashMap<>();

    private final AtomicLong keys = new AtomicLong();

    private ReadinessWaiter(int epoll) {
        this.epoll = epoll;
    }

    /** The waiter, created now if need be; {@code null} if the process is out of descriptors for it. */
    static @Nullable ReadinessWaiter unlessOutOfDescriptors() {
        ReadinessWaiter waiter = instance;
        if (waiter != null) {
            return waiter;
        }
        synchronized (CREATION) {
            if (instance == null) {
                int epoll;
                try {
                    epoll = Posix.epollCreate();
                }
                catch (NativeCallException ex) {
                    if (EventFd.outOfDescriptors(ex)) {
                        return null;
                    }
                    throw ex;
                }
                ReadinessWaiter created = new ReadinessWaiter(epoll);
                Thread thread = new Thread(created, "eventfd-read-waiter");
                thread.setDaemon(true);
                thread.setContextClassLoader(null);
                try {
                    thread.start();
                }
                catch (Throwable ex) {
                    Posix.closeQuietly(epoll);
                    throw ex;
                }
                instance = created;
            }
            return instance;
        }
    }

    /** Add or re-arm the interest of a handle whose descriptor the caller holds. */
    void arm(ParkedReaders readers, int number) {
        readers.lock.lock();
        try {
            if (readers.key == 0) {
                long key = this.keys.incrementAndGet();
                this.interests.put(key, readers);
                try {
                    Posix.epollCtl(this.epoll, Linux.EPOLL_CTL_ADD, number, Scratch.current().epollEvent(INTEREST, key));
                }
                catch (RuntimeException ex) {
                    this.interests.remove(key);
                    throw ex;
                }
                readers.key = key;
                readers.armed = true;
            }
            else if (!readers.armed) {
                // an eventfd already readable when re-armed is reported at once: no signal is missed
                Posix.epollCtl(this.epoll, Linux.EPOLL_CTL_MOD, number,
                        Scratch.current().epollEvent(INTEREST, readers.key));
                readers.armed = true;
            }
        }
        finally {
            readers.lock.unlock();
        }
    }

    /** Remove the interest of a handle whose descriptor the caller holds; called under its lock. */
    void removeInterest(ParkedReaders readers, int number) {
        if (readers.key == 0) {
            return;
        }
        this.interests.remove(readers.key);
        readers.key = 0;
        readers.armed = false;
        Posix.epollCtl(this.epoll, Linux.EPOLL_CTL_DEL, number, 0L);
    }

    @Override
    public void run() {
        for (;;) {
            int n;
            try {
                n = Posix.epollWait(this.epoll, this.events, -1);
            }
            catch (Throwable ex) {
                // cannot happen with a valid epoll descriptor; parked reads still end by timeout or close()
                System.getLogger(EventFd.class.getName()).log(System.Logger.Level.ERROR,
                        "epoll_wait of the eventfd read waiter failed", ex);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            for (int i = 0; i < n; i++) {
                // a key removed meanwhile finds nothing; a stale wake-up only makes a reader look again
                ParkedReaders readers = this.interests.get(this.events.data(i));
                if (readers != null) {
                    readers.ready();
                }
            }
        }
    }
}
