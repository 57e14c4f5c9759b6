package io.github.eventfd.share;

import java.util.List;

import io.github.eventfd.internal.UnixSocket;
import org.jspecify.annotations.Nullable;

/**
 * What a shared channel's connection to the others is now: one immutable value, swapped atomically by the
 * channel's thread, so that a reader on another thread always sees a state together with what belongs to it.
 */
sealed interface Link {

    ShareState state();

    List<PeerInfo> peers();

    /** Not started, or closed. */
    record Detached() implements Link {

        @Override
        public ShareState state() {
            return ShareState.DETACHED;
        }

        @Override
        public List<PeerInfo> peers() {
            return List.of();
        }
    }

    /** This process serves the socket. */
    record Serving(ShareServer server) implements Link {

        @Override
        public ShareState state() {
            return ShareState.SERVING;
        }

        @Override
        public List<PeerInfo> peers() {
            return this.server.peers();
        }
    }

    /** This process is attached to the server over {@code connection}. */
    record Attached(UnixSocket connection, PeerInfo server) implements Link {

        @Override
        public ShareState state() {
            return ShareState.ATTACHED;
        }

        @Override
        public List<PeerInfo> peers() {
            return List.of(this.server);
        }
    }

    /** The server went away; this process looks for the next one. */
    record Reconnecting(@Nullable PeerInfo lastServer) implements Link {

        @Override
        public ShareState state() {
            return ShareState.RECONNECTING;
        }

        @Override
        public List<PeerInfo> peers() {
            return List.of();
        }
    }
}
