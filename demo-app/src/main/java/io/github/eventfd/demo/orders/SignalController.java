package io.github.eventfd.demo.orders;

import java.util.Map;

import io.github.eventfd.UnsignedCount;
import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /signal/{channel}?n=3} signals a channel.
 */
@RestController
@Profile("!billing")
class SignalController {

    private final EventFdChannelRegistry channels;

    SignalController(EventFdChannelRegistry channels) {
        this.channels = channels;
    }

    @PostMapping("/signal/{channel}")
    Map<String, Object> signal(@PathVariable String channel, @RequestParam(defaultValue = "1") long n) {
        EventFdChannel target = this.channels.find(channel).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "no channel '" + channel + "'; channels are " + this.channels.channels().stream()
                        .map(EventFdChannel::channel).toList()));
        if (n < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'n' must be between 1 and " + Long.MAX_VALUE
                    + " but was " + n);
        }
        target.signal(n);
        return Map.of("channel", channel, "signalled", n, "sent", UnsignedCount.toBigInteger(target.sentCount()));
    }
}
