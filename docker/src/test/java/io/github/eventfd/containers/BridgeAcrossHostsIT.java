package io.github.eventfd.containers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.lifecycle.Startables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo across hosts in real containers: three "hosts", each two demo processes (profile {@code bridge}, both
 * roles) that share the channels through a socket volume of their own, so Redis is the only path between hosts.
 * Every host has its own {@code eventfd.bridge.host-id}. {@code orders.created} is a bridged queue,
 * {@code config.changed} a bridged broadcast; counts are read from each process' {@code /demo/stats}.
 */
class BridgeAcrossHostsIT {

    private static final String ORDERS = "orders.created";

    private static final String CONFIG = "config.changed";

    /** Each host claims at most this many units of the queue at once (the demo's default is 64). */
    private static final int CLAIM_BATCH = 8;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static ImageFromDockerfile image;

    private final String run = UUID.randomUUID().toString();

    private final List<String> volumes = new ArrayList<>();

    private final List<DemoContainer> processes = new ArrayList<>();

    private RedisContainer redis;

    /** hosts.get(h).get(0) started first and serves the host's channels, hosts.get(h).get(1) attached to it. */
    private final List<List<DemoContainer>> hosts = new ArrayList<>();

    @BeforeAll
    static void buildImage() {
        DockerRequired.check();
        image = DemoImage.get();
    }

    @BeforeEach
    void startRedisAndThreeHosts() throws Exception {
        this.redis = new RedisContainer();
        this.redis.start();
        for (int h = 0; h < 3; h++) {
            String volume = "eventfd-hosts-it-" + this.run + "-host" + h;
            this.volumes.add(volume);
            this.hosts.add(new ArrayList<>(List.of(process(h, volume), process(h, volume))));
        }
        // the first process of each host serves its channels, the second attaches to it
        Startables.deepStart(this.hosts.stream().map(host -> host.get(0))).join();
        Startables.deepStart(this.hosts.stream().map(host -> host.get(1))).join();
        for (List<DemoContainer> host : this.hosts) {
            assertThat(host.get(0).shareState(CONFIG)).isEqualTo("SERVING");
            assertThat(host.get(1).shareState(CONFIG)).isEqualTo("ATTACHED");
        }
        // pub/sub keeps nothing: signal only once every process listens on both channels
        await().atMost(TIMEOUT).until(() -> subscribers(CONFIG) == 6 && subscribers(ORDERS) == 6);
    }

    private DemoContainer process(int host, String volume) {
        DemoContainer process = new DemoContainer(image, "bridge", volume).bridgedThrough(this.redis, "host-" + host)
                .withEnv("DEMO_BILLING_WORK", "20ms")
                .withCommand("--eventfd.bridge.redis.claim-batch=" + CLAIM_BATCH);
        this.processes.add(process);
        return process;
    }

    @AfterEach
    void stopEverything() {
        for (int i = this.processes.size() - 1; i >= 0; i--) {
            this.processes.get(i).stop();
        }
        if (this.redis != null) {
            this.redis.stop();
        }
        for (String volume : this.volumes) {
            DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
        }
    }

    @Test
    void whenHostsSignalThenEveryProcessOfEveryHostGetsTheExactBroadcastAndEachQueueUnitIsConsumedOnce()
            throws Exception {
        host(0).get(0).post("/signal/" + CONFIG + "?n=5");
        host(1).get(1).post("/signal/" + CONFIG + "?n=7");
        awaitEveryProcessReceived(CONFIG, 12);
        // a host never gets its own signals back: a late echo would come before this second round, from the same
        // senders, on the same Redis channel
        host(0).get(0).post("/signal/" + CONFIG + "?n=1");
        host(1).get(1).post("/signal/" + CONFIG + "?n=1");
        awaitEveryProcessReceived(CONFIG, 14);

        host(0).get(1).post("/signal/" + ORDERS + "?n=60");
        host(2).get(0).post("/signal/" + ORDERS + "?n=40");
        awaitConsumed(100);
        await().atMost(TIMEOUT).until(() -> this.redis.backlog(ORDERS) == 0);
        assertThat(sum(this.processes, process -> received(process, ORDERS))).isEqualTo(100);
        assertThat(this.processes).allSatisfy(process -> assertThat(received(process, CONFIG)).isEqualTo(14));
    }

    @Test
    void whenTheServingProcessOfAHostIsKilledThenItsPeerBridgesAndNothingIsCountedTwice() throws Exception {
        host(1).get(0).post("/signal/" + CONFIG + "?n=3");
        awaitEveryProcessReceived(CONFIG, 3);
        DemoContainer killed = host(0).get(0);
        DemoContainer survivor = host(0).get(1);
        killed.killHard();
        await().atMost(TIMEOUT).until(() -> survivor.shareState(CONFIG).equals("SERVING")
                && survivor.shareState(ORDERS).equals("SERVING"));
        host(0).remove(killed);
        host(1).get(0).post("/signal/" + CONFIG + "?n=4");
        survivor.post("/signal/" + CONFIG + "?n=2");
        // the survivor gets host 1's signals once (through its own bridge now), its own once and never back
        awaitEveryProcessReceived(CONFIG, 9);

        survivor.post("/signal/" + ORDERS + "?n=30");
        awaitConsumed(30);
        await().atMost(TIMEOUT).until(() -> this.redis.backlog(ORDERS) == 0);
        assertThat(sum(live(), process -> received(process, ORDERS))).isEqualTo(30);
        assertThat(live()).allSatisfy(process -> assertThat(received(process, CONFIG)).isEqualTo(9));
    }

    @Test
    void whenRedisIsKilledAndRestartedThenLocalDeliveryGoesOnAndEveryProcessResyncs() throws Exception {
        host(0).get(0).post("/signal/" + CONFIG + "?n=1");
        awaitEveryProcessReceived(CONFIG, 1);
        this.redis.kill();
        DemoContainer signaller = host(0).get(0);
        await().atMost(TIMEOUT).until(() -> "RECONNECTING".equals(bridgeState(signaller)));
        signaller.post("/signal/" + CONFIG + "?n=5");
        signaller.post("/signal/" + ORDERS + "?n=10");
        // Redis is gone: the host's own processes get both at once; the queue's units never reached Redis, so
        // they are delivered here, once
        await().atMost(TIMEOUT).until(() -> received(host(0).get(0), CONFIG) == 6 && received(host(0).get(1), CONFIG) == 6);
        await().atMost(TIMEOUT).until(() -> sum(host(0), process -> received(process, ORDERS)) == 10);
        this.redis.restart();
        await().atMost(TIMEOUT).until(() -> subscribers(CONFIG) == 6 && subscribers(ORDERS) == 6);
        // every process hears that messages may have been lost, on the channel whose listener resyncs
        await().atMost(TIMEOUT).until(() -> this.processes.stream().allMatch(process -> resyncs(process, ORDERS) > 0));
        await().atMost(TIMEOUT).until(() -> this.processes.stream().allMatch(process -> {
            return "CONNECTED".equals(bridgeState(process));
        }));
        // pub/sub kept nothing across the restart: the 5 reached another host only if it had subscribed again
        // before they were sent, and may still be on their way now. The 3 follow them from the same sender, so a
        // process that has the 3 has the 5 if it ever gets them: 1 + 3 or 1 + 5 + 3 on the other hosts, never a
        // count in between; the signaller's own host had the 5 at once
        signaller.post("/signal/" + CONFIG + "?n=3");
        await().atMost(TIMEOUT).until(() -> host(0).stream().allMatch(process -> received(process, CONFIG) == 9)
                && Stream.of(host(1), host(2)).flatMap(List::stream)
                        .allMatch(process -> List.of(4L, 9L).contains(received(process, CONFIG))));
        assertThat(sum(this.processes, process -> received(process, ORDERS))).isEqualTo(10);
    }

    @Test
    void whenRedisIsPausedThenSignalsMadeMeanwhileArriveAfterItResumesWithAResync() throws Exception {
        host(2).get(0).post("/signal/" + CONFIG + "?n=1");
        awaitEveryProcessReceived(CONFIG, 1);
        long resyncsBefore = resyncs(host(1).get(0), ORDERS);
        this.redis.pause();
        DemoContainer signaller = host(2).get(0);
        try {
            signaller.post("/signal/" + CONFIG + "?n=4");
            signaller.post("/signal/" + ORDERS + "?n=20");
            // commands time out after the demo's 1s: every host sees Redis unreachable
            await().atMost(TIMEOUT).until(() -> this.processes.stream()
                    .allMatch(process -> "RECONNECTING".equals(bridgeState(process))));
            signaller.post("/signal/" + CONFIG + "?n=2");
            await().atMost(TIMEOUT).until(() -> received(host(2).get(1), CONFIG) == 7);
            assertThat(received(host(0).get(0), CONFIG)).isEqualTo(1);
        }
        finally {
            this.redis.unpause();
        }
        // the connections outlived the pause: what was kept meanwhile is sent, and every host resyncs
        awaitEveryProcessReceived(CONFIG, 7);
        await().atMost(TIMEOUT).until(() -> resyncs(host(1).get(0), ORDERS) > resyncsBefore);
        awaitConsumed(20);
        await().atMost(TIMEOUT).until(() -> this.redis.backlog(ORDERS) == 0);
        assertThat(sum(this.processes, process -> received(process, ORDERS))).isEqualTo(20);
    }

    @Test
    void whenAHostIsKilledMidClaimThenWhatItClaimedAndHadNotDeliveredIsLostAndNothingIsDeliveredTwice()
            throws Exception {
        List<DemoContainer> doomed = host(2);
        host(0).get(0).post("/signal/" + ORDERS + "?n=200");
        // at 20ms per unit and at most CLAIM_BATCH units claimed at once per host, host 2 is busy with a claim
        await().atMost(TIMEOUT).until(() -> sum(doomed, process -> received(process, ORDERS)) >= 5);
        for (DemoContainer process : doomed) {
            process.killHard();
        }
        this.hosts.remove(2);
        // what host 2 started to deliver, from its logs, which outlive it: a unit is logged as soon as it is read
        long deliveredByDoomed = sum(doomed, process -> process.logged("delivery channel=" + ORDERS));
        await().atMost(TIMEOUT).until(() -> this.redis.backlog(ORDERS) == 0
                && live().stream().allMatch(process -> pending(process, ORDERS) == 0));
        long deliveredBySurvivors = sum(live(), process -> received(process, ORDERS));
        long lost = 200 - deliveredByDoomed - deliveredBySurvivors;
        assertThat(lost).as("units claimed by the killed host and not delivered (delivered twice when negative)")
                .isBetween(0L, (long) CLAIM_BATCH);
        // the survivors go on: a later signal is consumed once
        host(0).get(1).post("/signal/" + ORDERS + "?n=10");
        await().atMost(TIMEOUT).until(() -> sum(live(), process -> received(process, ORDERS)) >= deliveredBySurvivors + 10);
        await().atMost(TIMEOUT).until(() -> this.redis.backlog(ORDERS) == 0);
        assertThat(sum(live(), process -> received(process, ORDERS))).isEqualTo(deliveredBySurvivors + 10);
    }

    private List<DemoContainer> host(int index) {
        return this.hosts.get(index);
    }

    private List<DemoContainer> live() {
        return this.hosts.stream().flatMap(List::stream).toList();
    }

    private void awaitEveryProcessReceived(String channel, long count) {
        await().atMost(TIMEOUT).until(() -> live().stream().allMatch(process -> received(process, channel) >= count));
        assertThat(live()).allSatisfy(process -> assertThat(received(process, channel))
                .as("%s received by %s", channel, process.port()).isEqualTo(count));
    }

    private void awaitConsumed(long count) {
        await().atMost(TIMEOUT).until(() -> sum(live(), process -> received(process, ORDERS)) >= count);
    }

    private long subscribers(String channel) throws Exception {
        return this.redis.subscribers(channel);
    }

    private static long sum(List<DemoContainer> processes, ToLongFunction<DemoContainer> count) {
        return processes.stream().mapToLong(count).sum();
    }

    private static long received(DemoContainer process, String channel) {
        try {
            return process.received(channel);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long resyncs(DemoContainer process, String channel) {
        try {
            return process.resyncs(channel);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String bridgeState(DemoContainer process) {
        try {
            return process.bridge("state");
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long pending(DemoContainer process, String channel) {
        try {
            return process.pending(channel);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
