package io.github.eventfd.spring.channel;

/** The delivery of an in-memory channel, told of each signal by the channel's counter. */
interface InMemorySubscription extends ChannelSubscription {

    /** Called after every signal of the channel's counter, on the signalling thread. */
    void signalled();
}
