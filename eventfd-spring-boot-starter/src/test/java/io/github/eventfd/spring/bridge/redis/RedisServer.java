package io.github.eventfd.spring.bridge.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A real redis-server in a container on the host network, on a free port, that a test can SIGKILL, start again
 * on the same port, or pause. The image is {@code -Dredis.image} (default {@code redis:7}; {@code
 * docker/build-redis-image.sh} builds one offline from Debian's package). Without Docker the test is skipped,
 * except under {@code CI=true}, where it fails.
 */
final class RedisServer implements AutoCloseable {

    private final GenericContainer<?> container;

    private final int port;

    @SuppressWarnings("resource")
    private RedisServer(int port) {
        this.port = port;
        this.container = new GenericContainer<>(DockerImageName.parse(System.getProperty("redis.image", "redis:7")))
                .withNetworkMode("host")
                .withCommand("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .withCreateContainerCmdModifier(cmd -> cmd.withName("redis-bridge-test-" + port))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** Start a server, or skip the test where Docker is missing (fail under CI). */
    static RedisServer start() {
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not available");
        }
        RedisServer server = new RedisServer(freePort());
        server.container.start();
        return server;
    }

    int port() {
        return this.port;
    }

    /** A Lettuce connection factory to this server, started. */
    LettuceConnectionFactory connectionFactory(Duration timeout) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", this.port),
                LettuceClientConfiguration.builder().commandTimeout(timeout).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** SIGKILL the server: no shutdown, no goodbye to clients. */
    void kill() {
        DockerClientFactory.instance().client().killContainerCmd(this.container.getContainerId()).withSignal("KILL")
                .exec();
    }

    /** Start the killed server again, on the same port, empty. */
    void restart() {
        DockerClientFactory.instance().client().startContainerCmd(this.container.getContainerId()).exec();
    }

    void pause() {
        DockerClientFactory.instance().client().pauseContainerCmd(this.container.getContainerId()).exec();
    }

    void unpause() {
        DockerClientFactory.instance().client().unpauseContainerCmd(this.container.getContainerId()).exec();
    }

    @Override
    public void close() {
        this.container.stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
