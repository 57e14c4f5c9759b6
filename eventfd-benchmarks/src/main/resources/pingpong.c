/*
 * The floor: eventfd ping-pong in plain C, between two threads or two processes, waiting with a
 * blocking read(2) or with epoll_wait(2) (level-triggered); and the baselines of the many-channel and
 * contention groups.
 *
 *   pingpong threads|processes blocking|epoll ITERATIONS WARMUP [CPU_A CPU_B [IDLE_FDS]]
 *       -> "p50_ns p99_ns p999_ns [held seen_a seen_b]"; each side pins itself to its CPU and samples
 *          sched_getcpu() every 1024 round trips and at the end; IDLE_FDS more eventfds sit in the echo's
 *          epoll set, never signalled
 *   pingpong write ITERATIONS                                    -> "ns_per_write"
 *   pingpong roundrobin CHANNELS MILLIS CPU_PRODUCER CPU_CONSUMER
 *       -> "deliveries_per_s"; one thread writes every eventfd in turn, the other delivers them with a
 *          one-shot epoll loop (epoll_wait of 64, read, epoll_ctl MOD), counting deliveries
 *   pingpong ctl CHANNELS                                        -> "add_ns del_ns" per epoll_ctl call
 *   pingpong contend THREADS OPS_PER_THREAD                      -> "ops_per_s" of write(2) to one eventfd
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ping, pong, use_epoll;
static long total;
static int cpus[2] = { -1, -1 };
static volatile int seen[2] = { -1, -1 };
static volatile int strays[2];
static int idle_fds;

/* pin the calling thread to side's CPU, if one was given */
static void pin(int side) {
    if (cpus[side] < 0) {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpus[side], &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
        perror("sched_setaffinity");
        exit(2);
    }
}

static void sample(int side) {
    int cpu = sched_getcpu();
    seen[side] = cpu;
    if (cpus[side] >= 0 && cpu != cpus[side]) {
        strays[side]++;
    }
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void wait_and_read(int fd, int ep) {
    uint64_t value;
    if (use_epoll) {
        struct epoll_event event;
        while (epoll_wait(ep, &event, 1, -1) != 1) {
        }
    }
    if (read(fd, &value, 8) != 8) {
        perror("read");
        exit(2);
    }
}

static int epoll_for(int fd) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = fd };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event);
    return ep;
}

static void add_idle(int ep) {
    for (int i = 0; i < idle_fds; i++) {
        int idle = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        struct epoll_event event = { .events = EPOLLIN, .data.fd = idle };
        if (idle < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, idle, &event) != 0) {
            perror("idle eventfd");
            exit(2);
        }
    }
}

static void signal_fd(int fd) {
    uint64_t one = 1;
    if (write(fd, &one, 8) != 8) {
        perror("write");
        exit(2);
    }
}

static void *echo(void *unused) {
    pin(1);
    int ep = use_epoll ? epoll_for(ping) : -1;
    if (ep >= 0) {
        add_idle(ep);
    }
    for (long i = 0; i < total; i++) {
        wait_and_read(ping, ep);
        signal_fd(pong);
        if ((i & 1023) == 0) {
            sample(1);
        }
    }
    sample(1);
    return NULL;
}

static void raise_fd_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/* round robin: the producer writes every channel in turn until told to stop */
static int *channels, channel_count;
static volatile int stop;
static volatile long delivered;

static void *consume(void *unused) {
    pin(1);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < channel_count; i++) {
        struct epoll_event event = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = (uint64_t) i };
        epoll_ctl(ep, EPOLL_CTL_ADD, channels[i], &event);
    }
    struct epoll_event wake = { .events = EPOLLIN, .data.u64 = UINT64_MAX };
    epoll_ctl(ep, EPOLL_CTL_ADD, ping, &wake);
    struct epoll_event events[64];
    long count = 0;
    for (;;) {
        int n = epoll_wait(ep, events, 64, -1);
        for (int k = 0; k < n; k++) {
            if (events[k].data.u64 == UINT64_MAX) {
                delivered = count;
                return NULL;
            }
            int i = (int) events[k].data.u64;
            uint64_t value;
            if (read(channels[i], &value, 8) == 8) {
                count++;
            }
            struct epoll_event again = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = (uint64_t) i };
            epoll_ctl(ep, EPOLL_CTL_MOD, channels[i], &again);
        }
    }
}

static int round_robin(int argc, char **argv) {
    channel_count = atoi(argv[2]);
    long millis = atol(argv[3]);
    cpus[0] = atoi(argv[4]);
    cpus[1] = atoi(argv[5]);
    raise_fd_limit();
    channels = malloc(sizeof(int) * channel_count);
    for (int i = 0; i < channel_count; i++) {
        channels[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (channels[i] < 0) {
            perror("eventfd");
            return 2;
        }
    }
    ping = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    pin(0);
    pthread_t thread;
    pthread_create(&thread, NULL, consume, NULL);
    usleep(100000);
    uint64_t start = now_ns(), end = start + millis * 1000000ull;
    for (long i = 0;; i++) {
        signal_fd(channels[i % channel_count]);
        if ((i & 255) == 0 && now_ns() >= end) {
            break;
        }
    }
    signal_fd(ping);
    pthread_join(thread, NULL);
    /* until the consumer saw the stop token, queued behind every channel still ready */
    uint64_t elapsed = now_ns() - start;
    printf("%.0f\n", delivered * 1e9 / (double) elapsed);
    return 0;
}

static int ctl_cost(int argc, char **argv) {
    int n = atoi(argv[2]);
    raise_fd_limit();
    int *fds = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) {
        fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    uint64_t start = now_ns();
    for (int i = 0; i < n; i++) {
        struct epoll_event event = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = (uint64_t) i };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &event) != 0) {
            perror("epoll_ctl add");
            return 2;
        }
    }
    uint64_t added = now_ns();
    for (int i = 0; i < n; i++) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
    }
    uint64_t deleted = now_ns();
    printf("%.1f %.1f\n", (double) (added - start) / n, (double) (deleted - added) / n);
    return 0;
}

static long ops_per_thread;
static volatile int go;

static void *contend(void *unused) {
    while (!go) {
    }
    for (long i = 0; i < ops_per_thread; i++) {
        signal_fd(ping);
    }
    return NULL;
}

static int contention(int argc, char **argv) {
    int threads = atoi(argv[2]);
    ops_per_thread = atol(argv[3]);
    ping = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    pthread_t *ids = malloc(sizeof(pthread_t) * threads);
    for (int t = 0; t < threads; t++) {
        pthread_create(&ids[t], NULL, contend, NULL);
    }
    uint64_t start = now_ns();
    go = 1;
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
    }
    uint64_t elapsed = now_ns() - start;
    printf("%.0f\n", (double) threads * ops_per_thread * 1e9 / (double) elapsed);
    return 0;
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "write") == 0) {
        long n = atol(argv[2]);
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        for (long i = 0; i < n / 10; i++) {
            signal_fd(fd);
        }
        uint64_t start = now_ns();
        for (long i = 0; i < n; i++) {
            signal_fd(fd);
        }
        printf("%.1f\n", (double) (now_ns() - start) / n);
        return 0;
    }
    if (argc >= 6 && strcmp(argv[1], "roundrobin") == 0) {
        return round_robin(argc, argv);
    }
    if (argc >= 3 && strcmp(argv[1], "ctl") == 0) {
        return ctl_cost(argc, argv);
    }
    if (argc >= 4 && strcmp(argv[1], "contend") == 0) {
        return contention(argc, argv);
    }
    if (argc < 5) {
        fprintf(stderr, "usage: pingpong threads|processes blocking|epoll ITERATIONS WARMUP\n");
        return 1;
    }
    int processes = strcmp(argv[1], "processes") == 0;
    use_epoll = strcmp(argv[2], "epoll") == 0;
    long iterations = atol(argv[3]), warmup = atol(argv[4]);
    total = iterations + warmup;
    int pinned = argc >= 7;
    if (pinned) {
        cpus[0] = atoi(argv[5]);
        cpus[1] = atoi(argv[6]);
    }
    if (argc >= 8) {
        idle_fds = atoi(argv[7]);
        raise_fd_limit();
    }
    ping = eventfd(0, EFD_CLOEXEC);
    pong = eventfd(0, EFD_CLOEXEC);
    pthread_t thread;
    pid_t child = 0;
    if (processes) {
        child = fork();
        if (child == 0) {
            echo(NULL);
            _exit(strays[1] == 0 && (cpus[1] < 0 || seen[1] == cpus[1]) ? 0 : 3);
        }
    }
    else {
        pthread_create(&thread, NULL, echo, NULL);
    }
    pin(0);
    int ep = use_epoll ? epoll_for(pong) : -1;
    uint64_t *latencies = malloc(sizeof(uint64_t) * iterations);
    for (long i = 0; i < total; i++) {
        uint64_t start = now_ns();
        signal_fd(ping);
        wait_and_read(pong, ep);
        if (i >= warmup) {
            latencies[i - warmup] = now_ns() - start;
        }
    }
    sample(0);
    int child_held = 1;
    if (processes) {
        int status = 0;
        waitpid(child, &status, 0);
        /* the child's samples are its own: it reports a stray through its exit status */
        child_held = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        seen[1] = cpus[1];
    }
    else {
        pthread_join(thread, NULL);
    }
    qsort(latencies, iterations, sizeof(uint64_t), compare);
    printf("%lu %lu %lu", (unsigned long) latencies[iterations / 2],
            (unsigned long) latencies[(long) (iterations * 0.99)], (unsigned long) latencies[(long) (iterations * 0.999)]);
    if (pinned) {
        int held = child_held && strays[0] == 0 && strays[1] == 0 && seen[0] == cpus[0] && seen[1] == cpus[1];
        printf(" %d %d %d", held, seen[0], processes && !child_held ? -1 : seen[1]);
    }
    printf("\n");
    return 0;
}
