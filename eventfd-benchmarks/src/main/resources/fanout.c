/*
 * Broadcast fan-out to N subscriber processes: the latency from a signal to the wake-up of the LAST subscriber.
 * Every subscriber waits in epoll_wait(2), stamps CLOCK_MONOTONIC (the clock System.nanoTime() reads, shared
 * by every process) the moment it wakes into a slot of shared memory, and the last of a round writes one byte
 * to a pipe; the driver then takes the latest stamp. Subscribers are forked before the first round.
 *
 *   fanout c N ITERATIONS WARMUP            -> "p50_ns p99_ns p999_ns"  one process writes N eventfds
 *   fanout redis PORT N ITERATIONS WARMUP   -> "p50_ns p99_ns p999_ns"  PUBLISH to N SUBSCRIBE connections
 *   fanout attach SOCKET CHANNEL N          -> "READY", then one line per round: the last subscriber's stamp (ns)
 *       N subscribers attach to a broadcast channel served by a JVM (share protocol version 1, each with an
 *       eventfd of its own) and this process attaches once more without subscribing, which hands it the fan-in
 *       eventfd. A line "fanin ITERATIONS WARMUP" on stdin runs rounds signalled through the fan-in instead
 *       ("p50_ns p99_ns p999_ns"); end of stdin ends every process. If the server drops a subscriber (its
 *       watchdog takes a write that waited 500 ms for a stalled subscriber, which a starved machine can cause),
 *       no round can end any more: the line "DROPPED" ends the program.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SUBSCRIBERS 1024

/* Shared between the driver and every subscriber: one stamp per subscriber, the number done this round. */
struct board {
    int done;
    uint64_t stamps[MAX_SUBSCRIBERS];
};

static struct board *board;
static int n;
static int round_pipe[2];
static int ready_pipe[2];

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void fail(const char *what) {
    perror(what);
    exit(2);
}

/* Record this subscriber's wake-up; the last of the round tells the driver. */
static void woke(int index, uint64_t stamp) {
    board->stamps[index] = stamp;
    if (__atomic_add_fetch(&board->done, 1, __ATOMIC_ACQ_REL) == n) {
        if (write(round_pipe[1], "R", 1) != 1) {
            fail("write round");
        }
    }
}

/* The latest stamp of the round that just ended, once every subscriber has woken; resets the board. */
static uint64_t await_round(void) {
    char byte;
    if (read(round_pipe[0], &byte, 1) != 1) {
        fail("read round");
    }
    if (byte == 'D') {
        /* the server dropped a subscriber: no round can complete any more */
        printf("DROPPED\n");
        fflush(stdout);
        exit(5);
    }
    uint64_t last = 0;
    for (int i = 0; i < n; i++) {
        if (board->stamps[i] > last) {
            last = board->stamps[i];
        }
    }
    __atomic_store_n(&board->done, 0, __ATOMIC_RELEASE);
    return last;
}

static void tell_ready(void) {
    if (write(ready_pipe[1], "A", 1) != 1) {
        fail("write ready");
    }
}

static void await_ready(void) {
    int ready = 0;
    while (ready < n) {
        char bytes[256];
        ssize_t got = read(ready_pipe[0], bytes, sizeof(bytes));
        if (got <= 0) {
            fprintf(stderr, "a subscriber ended before it was ready\n");
            exit(3);
        }
        ready += (int) got;
    }
}

static int epoll_for(int fd) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = fd };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event) < 0) {
        fail("epoll");
    }
    return ep;
}

/*
 * An eventfd subscriber: wait, stamp, read, forever (the driver's end kills it). With a connection (s >= 0), a
 * server that drops it (its connection ends) is told to the driver.
 */
static void eventfd_subscriber(int index, int efd, int s) {
    int ep = epoll_for(efd);
    if (s >= 0) {
        struct epoll_event watch = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = s };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, s, &watch) < 0) {
            fail("epoll_ctl");
        }
    }
    tell_ready();
    for (;;) {
        struct epoll_event event;
        if (epoll_wait(ep, &event, 1, -1) != 1) {
            continue;
        }
        if (event.data.fd == s) {
            if (write(round_pipe[1], "D", 1) != 1) {
                fail("write round");
            }
            _exit(5);
        }
        uint64_t stamp = now_ns();
        uint64_t value;
        if (read(efd, &value, sizeof(value)) == sizeof(value)) {
            woke(index, stamp);
        }
    }
}

static void setup(int subscribers) {
    n = subscribers;
    if (n < 1 || n > MAX_SUBSCRIBERS) {
        fprintf(stderr, "1 to %d subscribers\n", MAX_SUBSCRIBERS);
        exit(64);
    }
    board = mmap(NULL, sizeof(struct board), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (board == MAP_FAILED || pipe2(round_pipe, O_CLOEXEC) < 0 || pipe2(ready_pipe, O_CLOEXEC) < 0) {
        fail("setup");
    }
}

/* Fork a subscriber that ends with this process. */
static pid_t spawn(void) {
    pid_t pid = fork();
    if (pid < 0) {
        fail("fork");
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    }
    return pid;
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *) a;
    uint64_t y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

static void print_percentiles(uint64_t *latencies, int iterations) {
    qsort(latencies, iterations, sizeof(uint64_t), compare);
    printf("%llu %llu %llu\n", (unsigned long long) latencies[iterations / 2],
            (unsigned long long) latencies[(int) (iterations * 0.99)],
            (unsigned long long) latencies[(int) (iterations * 0.999)]);
    fflush(stdout);
}

/* Rounds that write 1 to each of the fds (one fd: a single write), measured from before the first write. */
static void rounds(const int *fds, int count, int iterations, int warmup) {
    uint64_t *latencies = malloc(sizeof(uint64_t) * iterations);
    uint64_t one = 1;
    for (int i = -warmup; i < iterations; i++) {
        uint64_t start = now_ns();
        for (int k = 0; k < count; k++) {
            if (write(fds[k], &one, sizeof(one)) != sizeof(one)) {
                fail("write eventfd");
            }
        }
        uint64_t last = await_round();
        if (i >= 0) {
            latencies[i] = last - start;
        }
    }
    print_percentiles(latencies, iterations);
    free(latencies);
}

static int c_baseline(int subscribers, int iterations, int warmup) {
    setup(subscribers);
    int *fds = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) {
        fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fds[i] < 0) {
            fail("eventfd");
        }
        if (spawn() == 0) {
            eventfd_subscriber(i, fds[i], -1);
        }
    }
    await_ready();
    rounds(fds, n, iterations, warmup);
    return 0;
}

/* One attach over the share protocol (see ShareProtocol): the connected socket, the fan-in eventfd in *fan_in. */
static int attach(const char *path, const char *channel, int efd, int *fan_in) {
    int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return -1;
    }
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    strncpy(address.sun_path, path, sizeof(address.sun_path) - 1);
    if (connect(s, (struct sockaddr *) &address, sizeof(address)) < 0) {
        close(s);
        return -1;
    }
    size_t name_length = strlen(channel);
    unsigned char hello[6 + 255];
    hello[0] = 'E';
    hello[1] = 1;
    hello[2] = 2; /* broadcast */
    hello[3] = 0; /* counter mode */
    hello[4] = (efd >= 0) ? 1 : 0; /* subscribe */
    hello[5] = (unsigned char) name_length;
    memcpy(hello + 6, channel, name_length);
    struct iovec out = { .iov_base = hello, .iov_len = 6 + name_length };
    union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control_out;
    memset(&control_out, 0, sizeof(control_out));
    struct msghdr message = { .msg_iov = &out, .msg_iovlen = 1 };
    if (efd >= 0) {
        message.msg_control = control_out.buffer;
        message.msg_controllen = sizeof(control_out.buffer);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(header), &efd, sizeof(int));
    }
    if (sendmsg(s, &message, MSG_NOSIGNAL) < 0) {
        close(s);
        return -1;
    }
    struct pollfd waiting = { .fd = s, .events = POLLIN };
    if (poll(&waiting, 1, 10000) != 1) {
        close(s);
        return -1;
    }
    unsigned char reply[4 + 255];
    struct iovec in = { .iov_base = reply, .iov_len = sizeof(reply) };
    union { char buffer[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } control_in;
    struct msghdr received = { .msg_iov = &in, .msg_iovlen = 1, .msg_control = control_in.buffer,
            .msg_controllen = sizeof(control_in.buffer) };
    ssize_t length = recvmsg(s, &received, MSG_CMSG_CLOEXEC);
    *fan_in = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&received); c != NULL; c = CMSG_NXTHDR(&received, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int count = (int) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < count; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                if (*fan_in < 0) {
                    *fan_in = fd;
                }
                else {
                    close(fd);
                }
            }
        }
    }
    if (length < 4 || reply[0] != 'E' || reply[1] != 1 || reply[2] != 0 || *fan_in < 0) {
        fprintf(stderr, "attach refused: status %d\n", length >= 3 ? reply[2] : -1);
        close(s);
        return -1;
    }
    return s;
}

static int attached(const char *path, const char *channel, int subscribers) {
    setup(subscribers);
    for (int i = 0; i < n; i++) {
        if (spawn() == 0) {
            int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            int fan_in;
            int s = (efd < 0) ? -1 : attach(path, channel, efd, &fan_in);
            if (s < 0) {
                _exit(2);
            }
            close(fan_in); /* these subscribers never signal */
            eventfd_subscriber(i, efd, s);
        }
    }
    await_ready();
    int fan_in;
    if (attach(path, channel, -1, &fan_in) < 0) {
        return 2;
    }
    printf("READY\n");
    fflush(stdout);
    for (;;) {
        struct pollfd waiting[2] = { { .fd = round_pipe[0], .events = POLLIN }, { .fd = 0, .events = POLLIN } };
        if (poll(waiting, 2, -1) < 1) {
            continue;
        }
        if (waiting[0].revents & POLLIN) {
            printf("%llu\n", (unsigned long long) await_round());
            fflush(stdout);
            continue;
        }
        char line[128];
        if (fgets(line, sizeof(line), stdin) == NULL) {
            return 0; /* the JVM is done: the subscribers die with this process */
        }
        int iterations;
        int warmup;
        if (sscanf(line, "fanin %d %d", &iterations, &warmup) == 2) {
            rounds(&fan_in, 1, iterations, warmup);
        }
    }
}

static int redis_connect(int port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int on = 1;
    if (s < 0 || connect(s, (struct sockaddr *) &address, sizeof(address)) < 0
            || setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) < 0) {
        fail("redis connect");
    }
    return s;
}

static void send_all(int s, const char *text) {
    size_t length = strlen(text);
    if (write(s, text, length) != (ssize_t) length) {
        fail("redis write");
    }
}

/* Read exactly length bytes (the replies here have a fixed size). */
static void read_exactly(int s, char *buffer, size_t length) {
    size_t got = 0;
    while (got < length) {
        ssize_t r = read(s, buffer + got, length - got);
        if (r <= 0) {
            fail("redis read");
        }
        got += (size_t) r;
    }
}

static const char SUBSCRIBE[] = "*2\r\n$9\r\nSUBSCRIBE\r\n$6\r\nfanout\r\n";
static const char SUBSCRIBED[] = "*3\r\n$9\r\nsubscribe\r\n$6\r\nfanout\r\n:1\r\n";
static const char PUBLISH[] = "*3\r\n$7\r\nPUBLISH\r\n$6\r\nfanout\r\n$1\r\nx\r\n";
static const char MESSAGE[] = "*3\r\n$7\r\nmessage\r\n$6\r\nfanout\r\n$1\r\nx\r\n";

static void redis_subscriber(int index, int port) {
    int s = redis_connect(port);
    send_all(s, SUBSCRIBE);
    char buffer[256];
    read_exactly(s, buffer, strlen(SUBSCRIBED));
    int ep = epoll_for(s);
    tell_ready();
    for (;;) {
        struct epoll_event event;
        if (epoll_wait(ep, &event, 1, -1) != 1) {
            continue;
        }
        uint64_t stamp = now_ns();
        read_exactly(s, buffer, strlen(MESSAGE));
        woke(index, stamp);
    }
}

static int redis(int port, int subscribers, int iterations, int warmup) {
    setup(subscribers);
    for (int i = 0; i < n; i++) {
        if (spawn() == 0) {
            redis_subscriber(i, port);
        }
    }
    await_ready();
    int publisher = redis_connect(port);
    uint64_t *latencies = malloc(sizeof(uint64_t) * iterations);
    char reply[64];
    char expected[32];
    snprintf(expected, sizeof(expected), ":%d\r\n", n);
    for (int i = -warmup; i < iterations; i++) {
        uint64_t start = now_ns();
        send_all(publisher, PUBLISH);
        read_exactly(publisher, reply, strlen(expected));
        if (memcmp(reply, expected, strlen(expected)) != 0) {
            fprintf(stderr, "PUBLISH reached %.*s subscribers, not %d\n", (int) strlen(expected), reply, n);
            return 3;
        }
        uint64_t last = await_round();
        if (i >= 0) {
            latencies[i] = last - start;
        }
    }
    print_percentiles(latencies, iterations);
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    if (argc == 5 && strcmp(argv[1], "c") == 0) {
        return c_baseline(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    }
    if (argc == 6 && strcmp(argv[1], "redis") == 0) {
        return redis(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
    }
    if (argc == 5 && strcmp(argv[1], "attach") == 0) {
        return attached(argv[2], argv[3], atoi(argv[4]));
    }
    fprintf(stderr, "usage: fanout c N ITERATIONS WARMUP | redis PORT N ITERATIONS WARMUP | attach SOCKET CHANNEL N\n");
    return 64;
}
