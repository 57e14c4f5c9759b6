package io.github.eventfd.containers;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The demo image itself: Boot's layers as image layers, and a health check Docker reads from the actuator. */
class DemoImageIT {

    private static String image;

    private final DockerClient docker = DockerClientFactory.instance().client();

    private final String sockets = "eventfd-image-it-" + UUID.randomUUID();

    private DemoContainer container;

    @BeforeAll
    static void buildImage() {
        DockerRequired.check();
        image = DemoImage.get().get();
    }

    @AfterEach
    void stop() {
        if (this.container != null) {
            this.container.stop();
            this.docker.removeVolumeCmd(this.sockets).exec();
        }
    }

    @Test
    void whenBuiltThenDependenciesAndApplicationAreLayersOfTheirOwn() {
        List<String> layers = this.docker.inspectImageCmd(image).exec().getRootFS().getLayers();
        List<String> base = this.docker.inspectImageCmd(DemoImage.baseImage()).exec().getRootFS().getLayers();
        assertThat(layers).startsWith(base.toArray(String[]::new));
        // the socket directory, the working directory, and one layer per Boot layer (dependencies,
        // spring-boot-loader, snapshot-dependencies, application); the fat jar made one layer with everything
        assertThat(layers.size() - base.size()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void whenTheServiceIsUpThenDockerReportsTheContainerHealthy() {
        this.container = new DemoContainer(DemoImage.get(), "orders", this.sockets);
        this.container.start();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            HealthState health = this.docker.inspectContainerCmd(this.container.getContainerId()).exec().getState()
                    .getHealth();
            assertThat(health).as("the image's HEALTHCHECK").isNotNull();
            assertThat(health.getStatus()).isEqualTo("healthy");
        });
    }
}
