/*
 * The JNI backend of eventfd-core: one thin C function per C library call, each the native instance method of
 * io.github.eventfd.internal.JniCalls that implements the call, and the memory calls its blocks need (static).
 *
 * Each call keeps the errno it left in a per-thread variable, which JniCalls.lastErrno() reads: the JVM may
 * overwrite errno itself between two native calls, never this variable. Pointers travel as jlong addresses
 * of native memory the Java caller owns, as in the other backends. Nothing here calls back into Java, holds
 * a reference, or keeps state other than that variable.
 *
 * Built by eventfd-core's pom.xml with the build machine's gcc into the jar, as
 * io/github/eventfd/internal/jni/linux-<os.arch>/libeventfd-jni.so; JniLibrary loads it from there.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

/* What JniCalls.ABI_VERSION must equal: a library from another build of the class is refused. */
#define EVENTFD_JNI_ABI_VERSION 1

/*
 * Initial-exec: the variable sits at a fixed offset from the thread pointer, so keeping errno is one store.
 * The default model for a shared library finds the variable through __tls_get_addr, which on a thread's first
 * use allocates the thread's block with malloc, and the compiler may place that call between the system call
 * and the read of errno: a malloc that changes errno while it succeeds (POSIX allows it, glibc's does where
 * brk fails and mmap serves) would then replace the call's errno (JniErrnoTest).
 */
static __thread int last_errno __attribute__((tls_model("initial-exec")));

#define KEEP_ERRNO(expr) do { __typeof__(expr) result_ = (expr); last_errno = errno; return result_; } while (0)

#define PTR(address) ((void *) (intptr_t) (address))

#define FN(name) Java_io_github_eventfd_internal_JniCalls_##name

JNIEXPORT jint JNICALL FN(abiVersion)(JNIEnv *env, jclass cls) {
    return EVENTFD_JNI_ABI_VERSION;
}

JNIEXPORT jint JNICALL FN(cLongSize)(JNIEnv *env, jobject self) {
    return (jint) sizeof(long);
}

JNIEXPORT jint JNICALL FN(lastErrno)(JNIEnv *env, jobject self) {
    return last_errno;
}

JNIEXPORT jlong JNICALL FN(bufferAddress)(JNIEnv *env, jclass cls, jobject buffer) {
    return (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT jobject JNICALL FN(allocateZeroed)(JNIEnv *env, jclass cls, jlong size) {
    void *memory = calloc(1, (size_t) size);
    if (memory == NULL) {
        return NULL;
    }
    jobject buffer = (*env)->NewDirectByteBuffer(env, memory, size);
    if (buffer == NULL) {
        free(memory);
    }
    return buffer;
}

JNIEXPORT void JNICALL FN(free0)(JNIEnv *env, jclass cls, jlong address) {
    free(PTR(address));
}

JNIEXPORT jstring JNICALL FN(strerror)(JNIEnv *env, jobject self, jint errnum) {
    char text[256];
    /* the GNU strerror_r: returns the text, in text or in a static string */
    return (*env)->NewStringUTF(env, strerror_r(errnum, text, sizeof text));
}

JNIEXPORT jint JNICALL FN(eventfd)(JNIEnv *env, jobject self, jint initval, jint flags) {
    KEEP_ERRNO(eventfd((unsigned int) initval, flags));
}

JNIEXPORT jlong JNICALL FN(read)(JNIEnv *env, jobject self, jint fd, jlong buf, jlong count) {
    KEEP_ERRNO((jlong) read(fd, PTR(buf), (size_t) count));
}

JNIEXPORT jlong JNICALL FN(write)(JNIEnv *env, jobject self, jint fd, jlong buf, jlong count) {
    KEEP_ERRNO((jlong) write(fd, PTR(buf), (size_t) count));
}

JNIEXPORT jlong JNICALL FN(preadv2)(JNIEnv *env, jobject self, jint fd, jlong iov, jint iovcnt, jlong offset,
        jint flags) {
    KEEP_ERRNO((jlong) preadv2(fd, PTR(iov), iovcnt, (off_t) offset, flags));
}

JNIEXPORT jint JNICALL FN(poll)(JNIEnv *env, jobject self, jlong fds, jlong nfds, jint timeout) {
    KEEP_ERRNO(poll(PTR(fds), (nfds_t) nfds, timeout));
}

JNIEXPORT jint JNICALL FN(epollCreate1)(JNIEnv *env, jobject self, jint flags) {
    KEEP_ERRNO(epoll_create1(flags));
}

JNIEXPORT jint JNICALL FN(epollCtl)(JNIEnv *env, jobject self, jint epfd, jint op, jint fd, jlong event) {
    KEEP_ERRNO(epoll_ctl(epfd, op, fd, PTR(event)));
}

JNIEXPORT jint JNICALL FN(epollWait)(JNIEnv *env, jobject self, jint epfd, jlong events, jint maxEvents,
        jint timeout) {
    KEEP_ERRNO(epoll_wait(epfd, PTR(events), maxEvents, timeout));
}

JNIEXPORT jint JNICALL FN(close)(JNIEnv *env, jobject self, jint fd) {
    KEEP_ERRNO(close(fd));
}

JNIEXPORT jint JNICALL FN(getpid)(JNIEnv *env, jobject self) {
    KEEP_ERRNO((jint) getpid());
}

JNIEXPORT jlong JNICALL FN(syscall)(JNIEnv *env, jobject self, jlong number, jlong a1, jlong a2, jlong a3,
        jlong a4, jlong a5) {
    KEEP_ERRNO((jlong) syscall(number, a1, a2, a3, a4, a5));
}

JNIEXPORT jint JNICALL FN(open)(JNIEnv *env, jobject self, jlong pathname, jint flags, jint mode) {
    KEEP_ERRNO(open(PTR(pathname), flags, (mode_t) mode));
}

JNIEXPORT jint JNICALL FN(fchmod)(JNIEnv *env, jobject self, jint fd, jint mode) {
    KEEP_ERRNO(fchmod(fd, (mode_t) mode));
}

JNIEXPORT jint JNICALL FN(flock)(JNIEnv *env, jobject self, jint fd, jint operation) {
    KEEP_ERRNO(flock(fd, operation));
}

JNIEXPORT jint JNICALL FN(socket)(JNIEnv *env, jobject self, jint domain, jint type, jint protocol) {
    KEEP_ERRNO(socket(domain, type, protocol));
}

JNIEXPORT jint JNICALL FN(bind)(JNIEnv *env, jobject self, jint sockfd, jlong addr, jint addrlen) {
    KEEP_ERRNO(bind(sockfd, PTR(addr), (socklen_t) addrlen));
}

JNIEXPORT jint JNICALL FN(listen)(JNIEnv *env, jobject self, jint sockfd, jint backlog) {
    KEEP_ERRNO(listen(sockfd, backlog));
}

JNIEXPORT jint JNICALL FN(accept4)(JNIEnv *env, jobject self, jint sockfd, jlong addr, jlong addrlen,
        jint flags) {
    KEEP_ERRNO(accept4(sockfd, PTR(addr), PTR(addrlen), flags));
}

JNIEXPORT jint JNICALL FN(connect)(JNIEnv *env, jobject self, jint sockfd, jlong addr, jint addrlen) {
    KEEP_ERRNO(connect(sockfd, PTR(addr), (socklen_t) addrlen));
}

JNIEXPORT jlong JNICALL FN(sendmsg)(JNIEnv *env, jobject self, jint sockfd, jlong msg, jint flags) {
    KEEP_ERRNO((jlong) sendmsg(sockfd, PTR(msg), flags));
}

JNIEXPORT jlong JNICALL FN(recvmsg)(JNIEnv *env, jobject self, jint sockfd, jlong msg, jint flags) {
    KEEP_ERRNO((jlong) recvmsg(sockfd, PTR(msg), flags));
}

JNIEXPORT jint JNICALL FN(getsockopt)(JNIEnv *env, jobject self, jint sockfd, jint level, jint optname,
        jlong optval, jlong optlen) {
    KEEP_ERRNO(getsockopt(sockfd, level, optname, PTR(optval), PTR(optlen)));
}
