package io.github.eventfd.containers;

import java.io.IOException;
import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A redis-server on the host network, on a free loopback port, that a test can SIGKILL and start again on the
 * same port, or pause. The image is {@code -Dredis.image} (default {@code redis:7};
 * {@code docker/build-redis-image.sh} builds one offline from Debian's package).
 */
final class RedisContainer extends GenericContainer<RedisContainer> {

    private final int port;

    RedisContainer() {
        super(DockerImageName.parse(System.getProperty("redis.image", "redis:7")));
        this.port = DemoContainer.freePort();
        withNetworkMode("host");
        withCommand("redis-server", "--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--protected-mode", "no");
        waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** The loopback port Redis listens on, the same after a restart. */
    int port() {
        return this.port;
    }

    /** Units of a bridged queue waiting in Redis for a host to claim them. */
    long backlog(String channel) throws IOException, InterruptedException {
        ExecResult result = execInContainer("redis-cli", "-p", Integer.toString(this.port), "--raw", "GET",
                "eventfd:queue:{" + channel + "}");
        String held = result.getStdout().strip();
        return held.isEmpty() ? 0 : Long.parseLong(held);
    }

    /** Processes subscribed to a bridged channel's Redis channel. */
    long subscribers(String channel) throws IOException, InterruptedException {
        ExecResult result = execInContainer("redis-cli", "-p", Integer.toString(this.port), "--raw", "PUBSUB",
                "NUMSUB", "eventfd:channel:" + channel);
        String[] lines = result.getStdout().strip().split("\\R");
        return lines.length == 2 ? Long.parseLong(lines[1].strip()) : 0;
    }

    /** SIGKILL the server: no shutdown, no goodbye to its clients, nothing kept. */
    void kill() {
        DockerClientFactory.instance().client().killContainerCmd(getContainerId()).withSignal("KILL").exec();
    }

    /** Start the killed server again, on the same port, empty. */
    void restart() {
        DockerClientFactory.instance().client().startContainerCmd(getContainerId()).exec();
    }

    /** Freeze the server (SIGSTOP to its processes): connections stay open and nothing answers. */
    void pause() {
        DockerClientFactory.instance().client().pauseContainerCmd(getContainerId()).exec();
    }

    void unpause() {
        DockerClientFactory.instance().client().unpauseContainerCmd(getContainerId()).exec();
    }
}
