/*
 * Lightweight subscribers for a broadcast channel: forks N processes that each attach to the channel's socket
 * with an eventfd of their own (protocol version 1, as ShareProtocol describes it), retrying while the server
 * answers busy, then wait until their eventfd has received the expected total.
 *
 * usage: subscribers SOCKET CHANNEL N EXPECTED
 * prints "ATTACHED k" once every child attached or gave up, then "EXITED ok=k failed=m" when all have ended.
 * A child's exit code says what went wrong: 2 could not attach, 3 no count within 60 s, 4 a wrong total.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STATUS_OK 0
#define STATUS_BUSY 8

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* One attach attempt: the connected socket on success, -1 on a refusal or error, with the status in *status. */
static int attach(const char *path, const char *channel, int efd, int *status) {
    *status = -1;
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
    hello[4] = 1; /* subscribe */
    hello[5] = (unsigned char) name_length;
    memcpy(hello + 6, channel, name_length);
    struct iovec out = { .iov_base = hello, .iov_len = 6 + name_length };
    union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control_out;
    memset(&control_out, 0, sizeof(control_out));
    struct msghdr message = { .msg_iov = &out, .msg_iovlen = 1, .msg_control = control_out.buffer,
            .msg_controllen = sizeof(control_out.buffer) };
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &efd, sizeof(int));
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
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&received); c != NULL; c = CMSG_NXTHDR(&received, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int count = (int) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < count; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                close(fd); /* the fan-in eventfd: these subscribers never signal */
            }
        }
    }
    if (length < 4 || reply[0] != 'E' || reply[1] != 1) {
        close(s);
        return -1;
    }
    *status = reply[2];
    if (*status != STATUS_OK) {
        close(s);
        return -1;
    }
    return s;
}

static int subscriber(const char *path, const char *channel, uint64_t expected, int ready, unsigned seed) {
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd < 0) {
        return 2;
    }
    srand(seed);
    long deadline = now_ms() + 60000;
    int s = -1;
    while (s < 0) {
        int status;
        s = attach(path, channel, efd, &status);
        if (s >= 0) {
            break;
        }
        if ((status != STATUS_BUSY && status != -1) || now_ms() > deadline) {
            return 2;
        }
        usleep(1000 + rand() % 20000);
    }
    if (write(ready, "A", 1) != 1) {
        return 2;
    }
    uint64_t total = 0;
    while (total < expected) {
        struct pollfd waiting = { .fd = efd, .events = POLLIN };
        if (poll(&waiting, 1, 60000) != 1) {
            return 3;
        }
        uint64_t value;
        if (read(efd, &value, sizeof(value)) == sizeof(value)) {
            total += value;
        }
    }
    return (total == expected) ? 0 : 4;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: subscribers SOCKET CHANNEL N EXPECTED\n");
        return 64;
    }
    const char *path = argv[1];
    const char *channel = argv[2];
    int n = atoi(argv[3]);
    uint64_t expected = strtoull(argv[4], NULL, 10);
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
        perror("pipe2");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            close(pipe_fds[0]);
            _exit(subscriber(path, channel, expected, pipe_fds[1], (unsigned) i + 1));
        }
    }
    close(pipe_fds[1]);
    int attached = 0;
    long deadline = now_ms() + 120000;
    while (attached < n && now_ms() < deadline) {
        struct pollfd waiting = { .fd = pipe_fds[0], .events = POLLIN };
        if (poll(&waiting, 1, 1000) == 1) {
            char bytes[256];
            ssize_t got = read(pipe_fds[0], bytes, sizeof(bytes));
            if (got <= 0) {
                break; /* every child has ended */
            }
            attached += (int) got;
        }
    }
    printf("ATTACHED %d\n", attached);
    fflush(stdout);
    int ok = 0;
    int failed = 0;
    int status;
    while (wait(&status) > 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            ok++;
        }
        else {
            failed++;
            fprintf(stderr, "a subscriber ended with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        }
    }
    printf("EXITED ok=%d failed=%d\n", ok, failed);
    fflush(stdout);
    return failed == 0 ? 0 : 1;
}
