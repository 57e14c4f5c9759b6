package io.github.eventfd.spring.bridge.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A fresh redis-server for each test ({@link RedisServer}) and a client connection to it for the test's own
 * commands, both stopped after the test.
 */
abstract class RedisTestSupport {

    /** The server of the running test. */
    RedisServer redis;

    /** The test's own connection to it, with a 2 s command timeout. */
    LettuceConnectionFactory client;

    @BeforeEach
    void startRedis() {
        this.redis = RedisServer.start();
        this.client = this.redis.connectionFactory(Duration.ofSeconds(2));
    }

    @AfterEach
    void stopRedis() {
        if (this.client != null) {
            this.client.destroy();
        }
        if (this.redis != null) {
            this.redis.close();
        }
    }

    /** Wait until {@code count} connections subscribe to anything. */
    void awaitSubscribers(long count) {
        await().until(() -> FakeHost.subscribers(this.client) == count);
    }
}
