package io.github.eventfd.containers;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/** Container tests need Docker: without it they fail under CI=true and are skipped elsewhere. */
final class DockerRequired {

    private DockerRequired() {
    }

    static void check() {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException ex) {
            available = false;
        }
        if (available) {
            return;
        }
        String message = "the container tests need a running Docker engine and none was found";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: failing rather than skipping)");
        }
        Assumptions.abort(message);
    }
}
