package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.EventFdUnavailableException;
import io.github.eventfd.share.ShareErrorReason;
import io.github.eventfd.share.ShareException;
import io.github.eventfd.spring.channel.ChannelSharingException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Reports a {@link ChannelSharingException}: the channel, its {@code share.socket} property, value and origin,
 * the core's reason (with the errno and the path where a system call failed), and what to do about it.
 */
final class ChannelSharingFailureAnalyzer extends AbstractFailureAnalyzer<ChannelSharingException> {

    private final @Nullable Environment environment;

    ChannelSharingFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ChannelSharingException cause) {
        String channel = cause.getChannel();
        String property = ChannelPropertiesMapper.channelProperty(channel, "share.socket");
        StringBuilder description = new StringBuilder();
        description.append("eventfd channel '").append(channel).append("' could not be shared between processes:\n\n");
        description.append("    Property: ").append(property).append('\n');
        description.append("    Value: \"").append(cause.getSocket()).append("\"\n");
        Origin origin = PropertyOrigins.of(this.environment, property);
        if (origin != null) {
            description.append("    Origin: ").append(origin).append('\n');
        }
        Throwable reason = cause.getCause();
        description.append("    Reason: ").append((reason != null) ? reason.getMessage() : cause.getMessage());
        return new FailureAnalysis(description.toString(), action(channel, property, reason), cause);
    }

    private static String action(String channel, String property, @Nullable Throwable reason) {
        String share = ChannelPropertiesMapper.channelProperty(channel, "share");
        if (reason instanceof EventFdUnavailableException) {
            return "Share the channel on Linux 5.12 or later, or remove '" + property + "' to keep it in this process.";
        }
        if (reason instanceof ShareException refused) {
            if (refused.reason() == ShareErrorReason.DENIED_UID) {
                return "Add the uid of the serving process to '" + share + ".allowed-uids' (and the uid of this one to "
                        + "the server's), or run both as the same user.";
            }
            if (refused.reason() == ShareErrorReason.MISMATCH || refused.reason() == ShareErrorReason.BAD_VERSION
                    || refused.reason() == ShareErrorReason.UNKNOWN_CHANNEL) {
                return "Configure the channel alike in every process that shares '" + property + "': the same channel "
                        + "name, '" + share + ".kind' and mode, and the same version of the starter.";
            }
            if (String.valueOf(refused.getMessage()).contains("nobody serves")) {
                return "Start the process that serves the socket first, raise '" + share + ".attach-timeout', or let "
                        + "this process serve when nobody does ('" + share + ".role' auto).";
            }
        }
        return "Fix what the reason names, or set '" + property + "' to a path in a directory that belongs to this "
                + "process's user and that only it may write, for example /run/<service>/" + channel + ".sock.";
    }
}
