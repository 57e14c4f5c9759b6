package io.github.eventfd.containers;

import java.nio.file.Path;

import org.testcontainers.images.builder.ImageFromDockerfile;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo image, built from the Dockerfile and the demo jar without network, once for all container tests. */
final class DemoImage {

    private static ImageFromDockerfile image;

    private DemoImage() {
    }

    static synchronized ImageFromDockerfile get() {
        if (image == null) {
            Path jar = Path.of(System.getProperty("demo.jar"));
            assertThat(jar).as("the demo jar; build it with mvn package").exists();
            image = new ImageFromDockerfile(System.getProperty("demo.image", "eventfd-demo-it"), false)
                    .withFileFromPath("Dockerfile", Path.of(System.getProperty("demo.dockerfile")))
                    .withFileFromPath("demo-app.jar", jar)
                    .withBuildArg("BASE_IMAGE", baseImage())
                    // the build's RUN steps need no network either
                    .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("none"));
        }
        return image;
    }

    static String baseImage() {
        return System.getProperty("docker.base.image", "eclipse-temurin:17-jre");
    }
}
