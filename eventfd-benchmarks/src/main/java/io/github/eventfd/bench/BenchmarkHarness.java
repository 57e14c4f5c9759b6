package io.github.eventfd.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark in one go and prints one markdown table: the C floor, this library's paths and the
 * alternatives, side by side. Arguments: {@code full} or {@code quick} (or one group alone: {@code startup},
 * {@code bridge}, {@code quick-bridge}), then optionally a file to write. The Redis rows use {@code
 * -Dbench.redis.port} (default 6379) on 127.0.0.1.
 */
public final class BenchmarkHarness {

    private static final String PROCESSES = "process to process";

    private BenchmarkHarness() {
    }

    public static void main(String[] args) throws Exception {
        String mode = (args.length > 0) ? args[0] : "full";
        boolean quick = mode.startsWith("quick");
        String table = switch (mode) {
            case "startup" -> runStartup();
            case "bridge", "quick-bridge" -> runBridge(quick);
            case "fanout", "quick-fanout" -> runFanOut(quick);
            default -> run(quick);
        };
        System.out.println();
        System.out.println(table);
        if (args.length > 1) {
            Path out = Path.of(args[1]);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, table);
            System.out.println("written to " + out);
        }
        System.exit(0);
    }

    /** Run the startup group alone (full samples) and return the table. */
    static String runStartup() throws Exception {
        ResultTable table = new ResultTable();
        startup(table, false);
        return table.markdown(machine() + " (startup group only)");
    }

    /** Run the broadcast fan-out group alone and return the table. */
    static String runFanOut(boolean quick) throws Exception {
        ResultTable table = new ResultTable();
        BroadcastFanOut.run(table, Files.createTempDirectory("eventfd-bench"), quick);
        return table.markdown(machine() + " (broadcast fan-out group only" + (quick ? ", quick mode" : "") + ")");
    }

    /**
     * Run the bridge group alone (the starter's same-host round trip bridged and not, host to host through the
     * bridge and through plain pub/sub, coalescing) and return the table.
     */
    static String runBridge(boolean quick) throws Exception {
        ResultTable table = new ResultTable();
        int redisPort = Integer.getInteger("bench.redis.port", 6379);
        if (!Resp.reachable("127.0.0.1", redisPort)) {
            throw new IllegalStateException("no Redis on 127.0.0.1:" + redisPort);
        }
        BridgeBenchmarks bridge = new BridgeBenchmarks(table, redisPort, quick);
        Latency floor = Latency.fromNanos(1_000, 1_000, 1_000);
        bridge.local(PinnedRoundTrips.CROSS_CPU + " (ratios to 1 µs: no C floor in this group-only run)", floor, quick ? 1_000 : 20_000,
                quick ? 5_000 : 200_000);
        bridge.acrossHosts(Files.createTempDirectory("eventfd-bench"));
        return table.markdown(machine() + " (bridge group only" + (quick ? ", quick mode" : "") + ")");
    }

    /**
     * The starter's startup cost: {@code SpringApplication.run} of a tiny application with and without the
     * starter, fresh JVMs, 15 pairs (one in quick mode), on this JDK and on JAVA22_HOME's; beside it, what Spring Kafka
     * and Spring AMQP add to the same application ({@link StartupReferences}).
     */
    private static void startup(ResultTable table, boolean quick) throws Exception {
        int samples = quick ? 1 : 15;
        List<String[]> jdks = new ArrayList<>();
        jdks.add(new String[] { Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                String.valueOf(Runtime.version().feature()) });
        String java22 = System.getenv("JAVA22_HOME");
        if (java22 != null) {
            jdks.add(new String[] { Path.of(java22, "bin", "java").toString(), javaVersion(java22).split("\\.")[0] });
        }
        else {
            table.cost("starter startup cost, JDK 22+ (FFM)", "-", "skipped: set JAVA22_HOME to a JDK 22+");
        }
        for (String[] jdk : jdks) {
            int feature = Integer.parseInt(jdk[1]);
            // the backend a jar with a JNI library for the platform uses (auto), then the JDK's own without one
            for (String backend : new String[] { "jni", (feature >= 22) ? "ffm" : "jna" }) {
                String name = backend.toUpperCase(java.util.Locale.ROOT);
                progress("startup cost, JDK " + feature + ", " + name);
                StartupCost cost = StartupCost.measure(jdk[0], feature, samples, backend);
                table.cost("starter startup cost, JDK " + feature + " (" + name + ")",
                        format(cost.costMillis()) + " ms", "SpringApplication.run in fresh JVMs, median of the "
                                + "differences of " + samples + " pairs; medians " + format(cost.withMillis())
                                + " ms with the starter, " + format(cost.withoutMillis()) + " ms without");
                table.target("the starter adds at most 50 ms to an application's start (JDK " + feature + ", "
                        + name + ")", format(cost.costMillis()) + " ms", cost.costMillis() <= 50);
            }
            // a scale for the rows above: what the modules Spring users compare the starter with add to the same start
            for (String reference : new String[] { "kafka", "rabbit" }) {
                String module = reference.equals("kafka") ? "Spring Kafka, one @KafkaListener"
                        : "Spring AMQP, one @RabbitListener";
                progress("startup cost, JDK " + feature + ", reference: " + module);
                StartupCost cost = StartupCost.measureReference(jdk[0], feature, samples, reference);
                table.cost("reference: " + module + ", startup cost, JDK " + feature,
                        format(cost.costMillis()) + " ms", "the same tiny application with this listener instead of "
                                + "the starter's, Boot's module for it and what that brings on the plain class path "
                                + "(no broker: the listener's container starts and its consumer keeps trying the "
                                + "default address on loopback); median of the differences of " + samples
                                + " pairs; medians " + format(cost.withMillis()) + " ms with it, "
                                + format(cost.withoutMillis()) + " ms without");
            }
            progress("first native calls, JDK " + feature);
            double jni = StartupCost.firstJniCallMillis(jdk[0], feature, samples,
                    Files.createTempDirectory("eventfd-first-call"));
            table.cost("first JNI call in an empty JVM, JDK " + feature, format(jni) + " ms",
                    "the floor under the JNI row: eventfd-core alone, its library copied out, loaded and calling "
                            + "eventfd(2) and close(2); median of " + samples + " fresh JVMs");
            String fallback = (feature >= 22) ? "FFM" : "JNA";
            double floor = StartupCost.firstNativeCallMillis(jdk[0], feature, samples,
                    Files.createTempDirectory("eventfd-first-call"));
            table.cost("first " + fallback + " call in an empty JVM, JDK " + feature, format(floor) + " ms",
                    "the floor under the " + fallback + " row: " + ((feature >= 22) ? "the JDK's linker" : "JNA")
                            + " making and calling eventfd(2) and close(2), no Spring, nothing of this project; "
                            + "median of " + samples + " fresh JVMs");
            if (!quick) {
                progress("bytecodes of a start, JDK " + feature);
                long[] bytecodes = StartupCost.mainThreadBytecodes(jdk[0], feature,
                        Files.createTempDirectory("eventfd-bytecodes"));
                table.cost("bytecodes the starter adds to a start, JDK " + feature + " (JNI)",
                        format((bytecodes[1] - bytecodes[0]) / 1e6) + " million", "run by the main thread, counted by a "
                            + "JVMTI agent on single steps (the same from run to run within a fraction of a percent): "
                            + format(bytecodes[1] / 1e6) + " million with the starter, " + format(bytecodes[0] / 1e6)
                            + " million without");
                long[] classes = StartupCost.loadedClasses(jdk[0], feature,
                        Files.createTempDirectory("eventfd-classes"));
                table.cost("classes the starter adds to a start, JDK " + feature + " (JNI)",
                        (classes[2] - classes[0]) + ", of them " + (classes[3] - classes[1]) + " spun",
                        "loaded, -Xlog:class+load; spun: hidden classes made at run time (lambdas, the JDK's "
                            + "LambdaForms behind method handles and reflective calls): " + classes[2] + " ("
                            + classes[3] + " spun) with the starter, " + classes[0] + " (" + classes[1]
                            + " spun) without");
            }
            if (feature >= 25) {
                progress("startup cost, JDK " + feature + ", AOT cache");
                Path work = Files.createTempDirectory("eventfd-startup");
                StartupCost cached = StartupCost.measureWithAotCache(jdk[0], feature, samples, work);
                table.cost("starter startup cost, JDK " + feature + " (JNI) with an AOT cache",
                        format(cached.costMillis()) + " ms", "-XX:AOTCache made by one training run of each kind; "
                                + "median of the differences of " + samples + " pairs; medians "
                                + format(cached.withMillis()) + " ms with the starter, " + format(cached.withoutMillis())
                                + " ms without");
                table.target("the starter adds at most 50 ms to an application's start (JDK " + feature
                        + ", JNI, AOT cache)", format(cached.costMillis()) + " ms", cached.costMillis() <= 50);
            }
        }
    }

    /** Run the benchmarks and return the table. */
    static String run(boolean quick) throws Exception {
        int iterations = quick ? 5_000 : 200_000;
        int warmup = quick ? 1_000 : 20_000;
        ResultTable table = new ResultTable();
        Path work = Files.createTempDirectory("eventfd-bench");
        CFloor c = CFloor.compile(work);
        int redisPort = Integer.getInteger("bench.redis.port", 6379);
        boolean redisUp = Resp.reachable("127.0.0.1", redisPort);
        String noRedis = "no Redis on 127.0.0.1:" + redisPort + " (start one: apt-get install redis-server && redis-server --port "
                + redisPort + " --save '' &)";
        BridgeBenchmarks bridge = new BridgeBenchmarks(table, redisPort, quick);

        PinnedRoundTrips.CrossCpu threads = PinnedRoundTrips.run(table, c, quick);
        Latency threadFloor = threads.floor();
        Latency inline = threads.inline();
        Latency executor = threads.executor();
        if (redisUp) {
            bridge.local(PinnedRoundTrips.CROSS_CPU, threadFloor, warmup, iterations);
        }
        else {
            BridgeBenchmarks.skipped(table, PinnedRoundTrips.CROSS_CPU, noRedis);
        }
        ManyChannels.run(table, c, quick);
        SignalContention.run(table, c, quick);

        progress("C floor, processes");
        PinnedLatency cProcessesBlocking = PinnedLatency.measure(Placement.crossCpu(0, 1),
                placement -> c.pingPong("processes", "blocking", iterations, warmup, placement, 0));
        PinnedLatency cProcessesEpoll = PinnedLatency.measure(Placement.crossCpu(0, 1),
                placement -> c.pingPong("processes", "epoll", iterations, warmup, placement, 0));
        Latency processFloor = lower(cProcessesBlocking.latency(), cProcessesEpoll.latency());
        table.latency(PROCESSES, "C eventfd, blocking read (floor)", cProcessesBlocking.cell(),
                cProcessesBlocking.latency(), processFloor, "fork");
        table.latency(PROCESSES, "C eventfd, epoll_wait (floor)", cProcessesEpoll.cell(), cProcessesEpoll.latency(),
                processFloor, "fork");
        Latency shared = measure("shared channel", ProcessRoundTrips.sharedChannel(work), warmup, iterations);
        table.latency(PROCESSES, "shared channel (eventfd over SCM_RIGHTS)", shared, processFloor, "two JVMs");
        table.latency(PROCESSES, "Unix domain socket (java.nio)", measure("unix socket",
                ProcessRoundTrips.unixSocket(work), warmup, iterations), processFloor, "two JVMs, 1 byte each way");
        Latency redis = null;
        if (redisUp) {
            redis = measure("redis", ProcessRoundTrips.redis(redisPort), warmup, iterations);
            table.latency(PROCESSES, "Redis pub/sub on loopback", redis, processFloor, "two JVMs, redis-server");
            progress("bridge across hosts");
            bridge.acrossHosts(work);
        }
        else {
            table.skipped(PROCESSES, "Redis pub/sub on loopback", noRedis);
        }

        BroadcastFanOut.run(table, work, quick);

        progress("C write(2) and JMH");
        double cWrite = c.writeNanos(quick ? 200_000 : 5_000_000);
        table.cost("C write(2) to an eventfd", format(cWrite) + " ns/op", "the floor of signal()");
        Map<String, RunResult> jmh = jmh(quick);
        RunResult signal = jmh.get("signal");
        double signalNanos = signal.getPrimaryResult().getScore();
        double signalBytes = allocation(signal);
        // the forked JVMs choose as this one does (auto): JNI where the jar carries its library
        String inProcess = GroupMain.backend();
        table.cost("EventFd.signal() (" + inProcess + ", JMH)", format(signalNanos) + " ns/op, " + format(signalBytes)
                + " B/op", ResultTable.ratio(signalNanos, cWrite) + " of C write(2)");
        double bestSignal = signalNanos;
        String bestBackend = inProcess;
        if (!inProcess.equals("JNA")) {
            RunResult jna = signalOn(System.getProperty("java.home"), "jna", quick);
            table.cost("EventFd.signal() (JNA, JMH)", format(jna.getPrimaryResult().getScore()) + " ns/op, "
                    + format(allocation(jna)) + " B/op", ResultTable.ratio(jna.getPrimaryResult().getScore(), cWrite)
                            + " of C write(2)");
        }
        String java22 = System.getenv("JAVA22_HOME");
        if (java22 != null) {
            for (String backend : new String[] { "jni", "ffm", "jna" }) {
                RunResult onJava22 = signalOn(java22, backend, quick);
                double nanos = onJava22.getPrimaryResult().getScore();
                table.cost("EventFd.signal() (" + backend.toUpperCase(Locale.ROOT) + ", JDK " + javaVersion(java22)
                        + ", JMH)", format(nanos) + " ns/op, " + format(allocation(onJava22)) + " B/op",
                        ResultTable.ratio(nanos, cWrite) + " of C write(2)");
                if (nanos < bestSignal) {
                    bestSignal = nanos;
                    bestBackend = backend.toUpperCase(Locale.ROOT) + " on JDK " + javaVersion(java22);
                }
            }
        }
        else {
            table.cost("EventFd.signal() (FFM)", "-", "skipped: set JAVA22_HOME to a JDK 22+ to measure the FFM backend");
        }
        RunResult signalThree = jmh.get("signalThree");
        table.cost("EventFd.signal(3) (" + inProcess + ", JMH)", format(signalThree.getPrimaryResult().getScore()) + " ns/op, "
                + format(allocation(signalThree)) + " B/op", "per-thread native buffer");
        RunResult dispatch = jmh.get("signal:dispatch");
        double delivered = secondary(dispatch, "delivered");
        double wakeups = secondary(dispatch, "wakeups");
        table.cost("dispatch: signals sent/s (one producer, inline callback)",
                format(dispatch.getPrimaryResult().getScore()) + " ops/s",
                format(delivered) + " delivered/s in " + format(wakeups) + " wake-ups/s ("
                        + format(delivered / Math.max(1, wakeups)) + " signals per wake-up)");

        progress("idle poller");
        IdleCost idle = IdleCost.measure(Duration.ofSeconds(quick ? 1 : 10), 16);
        table.cost("idle poller, 16 eventfds, " + format(idle.seconds()) + " s",
                idle.wakeups() + " wake-ups, " + format(idle.cpuNanos() / 1000.0) + " µs CPU",
                idle.contextSwitches() + " context switches (schedstat, status)");

        progress("startup cost");
        startup(table, quick);

        table.target("thread signal() -> @EventFdListener inline, p50 within 1.3x of the C floor",
                ResultTable.ratio(inline.p50(), threadFloor.p50()), inline.p50() <= 1.3 * threadFloor.p50());
        table.target("thread signal() -> @EventFdListener executor, p50 within 2x",
                ResultTable.ratio(executor.p50(), threadFloor.p50()), executor.p50() <= 2 * threadFloor.p50());
        table.target("inline p99 within 2x", ResultTable.ratio(inline.p99(), threadFloor.p99()),
                inline.p99() <= 2 * threadFloor.p99());
        table.target("executor p99 within 3x", ResultTable.ratio(executor.p99(), threadFloor.p99()),
                executor.p99() <= 3 * threadFloor.p99());
        table.target("process to process p50 within 1.5x of the C floor",
                ResultTable.ratio(shared.p50(), processFloor.p50()), shared.p50() <= 1.5 * processFloor.p50());
        if (redis != null) {
            table.target("process to process p50 at least 10x lower than Redis pub/sub",
                    format(redis.p50() / shared.p50()) + "x lower", redis.p50() >= 10 * shared.p50());
        }
        table.target("signal() within 1.3x of a C write(2) (best backend: " + bestBackend + ")",
                ResultTable.ratio(bestSignal, cWrite), bestSignal <= 1.3 * cWrite);
        table.target("signal() allocates 0 bytes", format(signalBytes) + " B/op", signalBytes < 0.5);
        table.target("idle poller: 0 wake-ups, no measurable CPU", idle.wakeups() + " wake-ups, "
                + format(idle.cpuNanos() / 1000.0) + " µs", idle.wakeups() == 0 && idle.cpuNanos() < 1_000_000);
        return table.markdown(machine() + (quick ? " (quick mode: small samples, not for the README)" : ""));
    }

    static Latency measure(String name, RoundTrip roundTrip, int warmup, int iterations) throws Exception {
        progress(name);
        try (roundTrip) {
            return Latency.measure(roundTrip, warmup, iterations);
        }
    }

    private static Latency lower(Latency a, Latency b) {
        return (a.p50() <= b.p50()) ? a : b;
    }

    private static Map<String, RunResult> jmh(boolean quick) throws Exception {
        Options options = new OptionsBuilder().include(SignalBenchmark.class.getName())
                .include(DispatchBenchmark.class.getName()).forks(quick ? 0 : 1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.milliseconds(quick ? 200 : 1000))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .timeout(TimeValue.seconds(60)).addProfiler(GCProfiler.class).shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, RunResult> byName = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            byName.put(benchmark.contains("Dispatch") ? method + ":dispatch" : method, result);
        }
        return byName;
    }

    /** JMH for signal() in a JVM of another JDK, with the given native backend. */
    private static RunResult signalOn(String javaHome, String backend, boolean quick) throws Exception {
        Options options = new OptionsBuilder().include(SignalBenchmark.class.getName() + ".signal$")
                .jvm(Path.of(javaHome, "bin", "java").toString())
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Deventfd.native=" + backend).forks(1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.milliseconds(quick ? 200 : 1000))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .addProfiler(GCProfiler.class).shouldFailOnError(true).build();
        return new Runner(options).run().iterator().next();
    }

    private static String javaVersion(String javaHome) {
        try {
            Process process = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(), "-version")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher matcher = Pattern.compile("version \"([0-9.]+)").matcher(output);
            return matcher.find() ? matcher.group(1) : "22+";
        }
        catch (Exception ex) {
            return "22+";
        }
    }

    private static double allocation(RunResult result) {
        for (Map.Entry<String, Result> entry : result.getSecondaryResults().entrySet()) {
            if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
                return entry.getValue().getScore();
            }
        }
        return Double.NaN;
    }

    private static double secondary(RunResult result, String name) {
        Result value = result.getSecondaryResults().get(name);
        return (value != null) ? value.getScore() : Double.NaN;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
        }
        catch (Exception ignored) {
            // keep the placeholder
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Linux " + System.getProperty("os.version")
                + ", Java " + System.getProperty("java.version");
    }

    private static String format(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static void progress(String step) {
        System.err.println("[bench] " + step);
    }
}
