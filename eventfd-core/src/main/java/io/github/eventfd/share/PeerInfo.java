package io.github.eventfd.share;

/**
 * A process at the other end of a sharing socket, as the kernel identifies it (SO_PEERCRED).
 *
 * @param pid process id (as seen from this process's pid namespace; 0 if outside it)
 * @param uid user id
 * @param gid group id
 * @param subscriber whether it subscribed its own eventfd (broadcast)
 */
public record PeerInfo(int pid, int uid, int gid, boolean subscriber) {
}
