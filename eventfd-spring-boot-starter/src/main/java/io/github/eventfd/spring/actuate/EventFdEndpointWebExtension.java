package io.github.eventfd.spring.actuate;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web's answers to a signal through the {@code eventfd} endpoint: 404 for a channel that does not exist
 * and 400 for a count out of range, each with a body that says why, instead of a 204 that signalled nothing
 * and a 500.
 */
@EndpointWebExtension(endpoint = EventFdEndpoint.class)
public class EventFdEndpointWebExtension {

    private final EventFdEndpoint endpoint;

    /**
     * Create the extension.
     * @param endpoint the endpoint it answers for
     */
    public EventFdEndpointWebExtension(EventFdEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Signal a channel.
     * @param name the channel name
     * @param count the value to add, 1 when absent
     * @return the channel's state after the signal (200), or why nothing was signalled (404, 400)
     */
    @WriteOperation
    public WebEndpointResponse<Object> signal(@Selector String name, @Nullable Long count) {
        EventFdEndpoint.ChannelDescriptor signalled;
        try {
            signalled = this.endpoint.signal(name, count);
        }
        catch (InvalidEndpointRequestException ex) {
            return new WebEndpointResponse<>(Map.of("error", ex.getReason()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        if (signalled == null) {
            return new WebEndpointResponse<>(Map.of("error", "no eventfd channel '" + name + "'; the channels are "
                    + this.endpoint.channelNames()), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(signalled);
    }
}
