package io.github.eventfd.containers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import com.jayway.jsonpath.JsonPath;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/** One demo service in a container on the host network, listening on its own loopback port. */
final class DemoContainer extends GenericContainer<DemoContainer> {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    /**
     * @param sockets a Docker volume shared by the replicas: a new volume takes the owner and mode of the
     * image's {@code /run/eventfd} (the service's uid, 0755), which the sharing layer requires of a socket
     * directory, as the compose file's volume does
     */
    DemoContainer(ImageFromDockerfile image, String profile, String sockets) {
        super(image);
        this.port = freePort();
        withNetworkMode("host");
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withBinds(new Bind(sockets, new Volume("/run/eventfd"))));
        withEnv("SPRING_PROFILES_ACTIVE", profile);
        withEnv("SERVER_PORT", Integer.toString(this.port));
        withEnv("SERVER_ADDRESS", "127.0.0.1");
        withEnv("DEMO_PRODUCER_RATE", "0");
        withEnv("DEMO_PRODUCER_CONFIG_EVERY", "0s");
        withEnv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        waitingFor(Wait.forLogMessage(".*Started DemoApplication.*\\n", 1).withStartupTimeout(Duration.ofSeconds(120)));
    }

    /** A loopback port free now: on the host network, nothing here listens on a fixed one. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("no free loopback port", ex);
        }
    }

    String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    String post(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** What this billing replica received on a channel, from {@code /demo/stats}. */
    long received(String channel) throws IOException, InterruptedException {
        Map<String, Number> received = JsonPath.read(get("/demo/stats"), "$.received");
        return received.getOrDefault(channel, 0).longValue();
    }

    /** The resync events this billing replica handled on a channel, from {@code /demo/stats}. */
    long resyncs(String channel) throws IOException, InterruptedException {
        Map<String, Number> resyncs = JsonPath.read(get("/demo/stats"), "$.resyncs");
        return resyncs.getOrDefault(channel, 0).longValue();
    }

    /** The count signalled and not yet delivered on a channel, from the {@code eventfd} endpoint. */
    long pending(String channel) throws IOException, InterruptedException {
        Number pending = JsonPath.read(get("/actuator/eventfd"), "$.channels['" + channel + "'].pending");
        return pending.longValue();
    }

    /** The sharing state of a channel in this service, from the {@code eventfd} endpoint. */
    String shareState(String channel) throws IOException, InterruptedException {
        return JsonPath.read(get("/actuator/eventfd"), "$.channels['" + channel + "'].share.state");
    }

    /** What this service's bridge says, from the {@code eventfd} endpoint: {@code $.bridges.redis.<field>}. */
    <T> T bridge(String field) throws IOException, InterruptedException {
        return JsonPath.read(get("/actuator/eventfd"), "$.bridges.redis." + field);
    }

    /**
     * Bridge through this Redis as host {@code hostId}; the profile must include {@code bridge}. On the host
     * network every container has the machine's host name, the bridge's default id: a "host" here needs its own.
     */
    DemoContainer bridgedThrough(RedisContainer redis, String hostId) {
        withEnv("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
        return withEnv("EVENTFD_BRIDGE_HOSTID", hostId);
    }

    /** How often this service's output has a line containing {@code text}, also after it was killed. */
    long logged(String text) {
        return getLogs().lines().filter(line -> line.contains(text)).count();
    }

    /** The loopback port this service listens on. */
    int port() {
        return this.port;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    void killHard() {
        getDockerClient().killContainerCmd(getContainerId()).withSignal("KILL").exec();
    }
}
