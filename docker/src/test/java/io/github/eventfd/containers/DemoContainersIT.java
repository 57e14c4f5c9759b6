package io.github.eventfd.containers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo in real Linux containers: orders and billing replicas share channels through a mounted
 * directory, on the host network (no bridge network is created).
 */
class DemoContainersIT {

    private static final String ORDERS = "orders.created";

    private static final String CONFIG = "config.changed";

    private static ImageFromDockerfile image;

    private final List<DemoContainer> started = new ArrayList<>();

    private final String sockets = "eventfd-it-" + UUID.randomUUID();

    @BeforeAll
    static void buildImage() {
        DockerRequired.check();
        image = DemoImage.get();
    }

    @AfterEach
    void stopContainers() {
        for (int i = this.started.size() - 1; i >= 0; i--) {
            this.started.get(i).stop();
        }
        if (!this.started.isEmpty()) {
            DockerClientFactory.instance().client().removeVolumeCmd(this.sockets).exec();
        }
    }

    /** Start a container; {@code args} are Spring Boot command-line properties such as {@code --a.b=c}. */
    private DemoContainer start(String profile, String... args) {
        DemoContainer container = create(profile, args);
        container.start();
        return container;
    }

    private DemoContainer create(String profile, String... args) {
        DemoContainer container = new DemoContainer(image, profile, this.sockets);
        container.withCommand(args);
        this.started.add(container);
        return container;
    }

    @Test
    void whenOrdersSignalsThenBillingReplicasInOtherContainersReceiveExactCounts() throws Exception {
        DemoContainer orders = start("orders");
        DemoContainer billing1 = start("billing");
        DemoContainer billing2 = start("billing");
        assertThat(orders.shareState(ORDERS)).isEqualTo("SERVING");
        assertThat(billing1.shareState(ORDERS)).isEqualTo("ATTACHED");
        orders.post("/signal/" + ORDERS + "?n=40");
        orders.post("/signal/" + CONFIG + "?n=3");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> billing1.received(ORDERS) + billing2.received(ORDERS) == 40);
        await().atMost(Duration.ofSeconds(30)).until(() -> billing1.received(CONFIG) == 3 && billing2.received(CONFIG) == 3);
        assertThat(orders.get("/actuator/prometheus")).contains("eventfd_peers{");
    }

    @Test
    void whenServingContainerIsKilledThenSignalsKeepFlowingAndNothingCountedIsLost() throws Exception {
        DemoContainer orders = start("orders");
        DemoContainer billing1 = start("billing", "--demo.billing.work=100ms");
        DemoContainer billing2 = start("billing", "--demo.billing.work=100ms");
        orders.post("/signal/" + ORDERS + "?n=30");
        orders.killHard();
        await().atMost(Duration.ofSeconds(30)).until(() -> billing1.shareState(ORDERS).equals("SERVING")
                || billing2.shareState(ORDERS).equals("SERVING"));
        DemoContainer restarted = start("orders");
        assertThat(restarted.shareState(ORDERS)).isEqualTo("ATTACHED");
        restarted.post("/signal/" + ORDERS + "?n=10");
        restarted.post("/signal/" + CONFIG + "?n=2");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> billing1.received(ORDERS) + billing2.received(ORDERS) == 40);
        await().atMost(Duration.ofSeconds(30)).until(() -> billing1.received(CONFIG) == 2 && billing2.received(CONFIG) == 2);
    }

    @Test
    void whenContainerRunsAsAnotherUidThenItIsRefused() throws Exception {
        DemoContainer orders = start("orders", "--eventfd.channels[orders.created].share.socket-mode=0666",
                "--eventfd.channels[config.changed].share.socket-mode=0666");
        // the stranger trusts the server's uid (so the socket directory, the server's, is one it may attach in),
        // but the server does not allow the stranger's; the channels open in name order when the context starts,
        // so config.changed is the first to be refused
        DemoContainer stranger = create("billing", "--eventfd.channels[orders.created].share.role=attach",
                "--eventfd.channels[orders.created].share.allowed-uids=65534,10001",
                "--eventfd.channels[orders.created].share.attach-timeout=3s",
                "--eventfd.channels[config.changed].share.role=attach",
                "--eventfd.channels[config.changed].share.allowed-uids=65534,10001",
                "--eventfd.channels[config.changed].share.attach-timeout=3s");
        StringBuilder logs = new StringBuilder();
        stranger.withCreateContainerCmdModifier(cmd -> cmd.withUser("65534:65534"))
                .withLogConsumer((OutputFrame frame) -> logs.append(frame.getUtf8String()))
                .waitingFor(Wait.forLogMessage(".*APPLICATION FAILED TO START.*\\n", 1)
                        .withStartupTimeout(Duration.ofSeconds(120)));
        stranger.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !stranger.isRunning());
        assertThat(logs).contains("APPLICATION FAILED TO START")
                .contains("Property: eventfd.channels[config.changed].share.socket")
                .contains("could not attach to /run/eventfd/config.changed.sock")
                .contains("uid 65534").contains("is not allowed; allowed uids are [10001]");
        assertThat(orders.get("/actuator/prometheus"))
                .containsPattern("eventfd_share_errors_total\\{[^}]*channel=\"config.changed\"[^}]*reason=\"denied-uid\"[^}]*\\} [1-9]");
    }
}
