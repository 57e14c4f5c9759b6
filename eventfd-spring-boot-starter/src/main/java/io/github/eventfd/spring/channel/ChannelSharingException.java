package io.github.eventfd.spring.channel;

import java.io.Serial;
import java.nio.file.Path;

/**
 * A shared channel could neither serve nor attach to its socket when the application started. It names the
 * channel and the socket; its cause is the core's reason ({@link io.github.eventfd.share.ShareException},
 * or {@link io.github.eventfd.EventFdUnavailableException} where sharing is not possible).
 */
public class ChannelSharingException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String channel;

    private final String socket;

    /**
     * Create the exception.
     * @param channel the channel name
     * @param socket its socket path
     * @param cause why it could not be shared
     */
    public ChannelSharingException(String channel, Path socket, RuntimeException cause) {
        super("eventfd channel '" + channel + "' could not be shared through " + socket + ": " + cause.getMessage(),
                cause);
        this.channel = channel;
        this.socket = socket.toString();
    }

    /**
     * The channel.
     * @return its name
     */
    public String getChannel() {
        return this.channel;
    }

    /**
     * The socket the channel is shared through.
     * @return the path
     */
    public String getSocket() {
        return this.socket;
    }
}
