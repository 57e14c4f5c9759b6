package io.github.eventfd.spring.actuate;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web's answers to the {@code eventfd} endpoint's write operations: 404 for a channel or listener that does
 * not exist and 400 for a count out of range or an unknown action, each with a body that says why, instead of a
 * 204 that did nothing and a 500.
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
     * Signal, pause or resume a channel.
     * @param name the channel name
     * @param count the value to add, 1 when absent
     * @param action {@code pause} or {@code resume} instead of a signal
     * @return the channel's state after (200), or why nothing was done (404, 400)
     */
    @WriteOperation
    public WebEndpointResponse<Object> signal(@Selector String name, @Nullable Long count, @Nullable String action) {
        EventFdEndpoint.ChannelDescriptor signalled;
        try {
            signalled = this.endpoint.signal(name, count, action);
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

    /**
     * Stop or start a listener.
     * @param name the channel name
     * @param listener the listener's id
     * @param action {@code stop} or {@code start}
     * @return the listener's state after (200), or why nothing was done (404, 400)
     */
    @WriteOperation
    public WebEndpointResponse<Object> listener(@Selector String name, @Selector String listener, String action) {
        EventFdEndpoint.ListenerDescriptor done;
        try {
            done = this.endpoint.listener(name, listener, action);
        }
        catch (InvalidEndpointRequestException ex) {
            return new WebEndpointResponse<>(Map.of("error", ex.getReason()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        if (done == null) {
            return new WebEndpointResponse<>(Map.of("error", "no listener '" + listener + "' on eventfd channel '"
                    + name + "'; its listeners are " + this.endpoint.listenerIds(name)),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(done);
    }
}
