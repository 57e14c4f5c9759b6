/*
 * The floor: eventfd ping-pong in plain C, between two threads or two processes, waiting with a
 * blocking read(2) or with epoll_wait(2); and the cost of one write(2) to an eventfd.
 *
 *   pingpong threads|processes blocking|epoll ITERATIONS WARMUP   -> "p50_ns p99_ns p999_ns"
 *   pingpong write ITERATIONS                                    -> "ns_per_write"
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ping, pong, use_epoll;
static long total;

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

static void signal_fd(int fd) {
    uint64_t one = 1;
    if (write(fd, &one, 8) != 8) {
        perror("write");
        exit(2);
    }
}

static void *echo(void *unused) {
    int ep = use_epoll ? epoll_for(ping) : -1;
    for (long i = 0; i < total; i++) {
        wait_and_read(ping, ep);
        signal_fd(pong);
    }
    return NULL;
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
    if (argc < 5) {
        fprintf(stderr, "usage: pingpong threads|processes blocking|epoll ITERATIONS WARMUP\n");
        return 1;
    }
    int processes = strcmp(argv[1], "processes") == 0;
    use_epoll = strcmp(argv[2], "epoll") == 0;
    long iterations = atol(argv[3]), warmup = atol(argv[4]);
    total = iterations + warmup;
    ping = eventfd(0, EFD_CLOEXEC);
    pong = eventfd(0, EFD_CLOEXEC);
    pthread_t thread;
    pid_t child = 0;
    if (processes) {
        child = fork();
        if (child == 0) {
            echo(NULL);
            _exit(0);
        }
    }
    else {
        pthread_create(&thread, NULL, echo, NULL);
    }
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
    if (processes) {
        waitpid(child, NULL, 0);
    }
    else {
        pthread_join(thread, NULL);
    }
    qsort(latencies, iterations, sizeof(uint64_t), compare);
    printf("%lu %lu %lu\n", (unsigned long) latencies[iterations / 2],
            (unsigned long) latencies[(long) (iterations * 0.99)], (unsigned long) latencies[(long) (iterations * 0.999)]);
    return 0;
}
