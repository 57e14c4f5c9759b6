package io.github.eventfd.share;

import java.time.Duration;

import io.github.eventfd.internal.OwnedFd;
import io.github.eventfd.internal.Posix;
import io.github.eventfd.internal.Scratch;

/**
 * A private eventfd that {@code close()} rings to wake the channel's thread from whatever it waits in:
 * the server's epoll, a client's poll for a reply or a disconnect, or the pause between attempts.
 */
final class Wakeup implements AutoCloseable {

    private final OwnedFd fd = new OwnedFd(Posix.eventfd(0, false), "eventfd-wakeup");

    /** Wake the waiting thread; it stays rung until closed. */
    void ring() {
        int number = this.fd.acquire();
        try {
            Posix.writeCounter(number, Scratch.one());
        }
        finally {
            this.fd.release();
        }
    }

    /**
     * Wait until {@code other} is readable, the wake-up rings, or the time passes.
     * @param other the descriptor to wait on, held by the caller
     * @param timeoutMillis at most this long, -1 for no limit
     * @return how many of the two are readable; 0 on time-out
     */
    int awaitReadable(int other, int timeoutMillis) {
        int number = this.fd.acquire();
        try {
            return Posix.pollIn(Scratch.current(), other, number, timeoutMillis);
        }
        finally {
            this.fd.release();
        }
    }

    /** Pause for {@code interval} unless rung meanwhile. */
    void sleep(Duration interval) {
        int number = this.fd.acquire();
        try {
            Posix.pollIn(Scratch.current(), number, number, (int) Math.max(1, interval.toMillis()));
        }
        finally {
            this.fd.release();
        }
    }

    /** The owned descriptor, for a server's epoll set. */
    OwnedFd descriptor() {
        return this.fd;
    }

    @Override
    public void close() {
        this.fd.close();
    }
}
