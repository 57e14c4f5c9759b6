package io.github.eventfd.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.eventfd.spring.annotation.EventFdListener;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * What adding the starter costs an application's start: the time of {@code SpringApplication.run} for a tiny
 * application with one {@code @EventFdListener} on a plain Spring Boot class path, with the starter on the class
 * path and without it (nor eventfd-core, nor JNA), each sample in a fresh JVM (class loading and the native layer's setup are part of the cost), the two kinds
 * of sample interleaved. Run as a main, it is one sample: argument {@code with} or {@code without} (or a
 * reference's, {@code kafka} or {@code rabbit}: {@link StartupReferences}); it prints {@code run-ms=<milliseconds>}.
 */
final class StartupCost {

    /** Class path entries of the starter and what only it brings: its jar or module, eventfd-core's, JNA's. */
    private static final Pattern STARTER_PARTS = Pattern.compile(
            "eventfd-spring-boot-starter|eventfd-core|/jna-[0-9][^/]*\\.jar$");

    /**
     * The jars of a plain Spring Boot application (spring-boot-starter and what it brings): the benchmark module's
     * own dependencies (Redis, JMH, ...) are left out of both kinds of sample, so that each sample starts what an
     * application that adds only the starter starts.
     */
    private static final Pattern PLAIN_APPLICATION = Pattern.compile("^(spring-(boot|boot-autoconfigure|boot-starter"
            + "|boot-starter-logging|core|beans|context|aop|expression)|commons-logging|logback-(classic|core)"
            + "|slf4j-api|log4j-(to-slf4j|api)|jul-to-slf4j|snakeyaml|jakarta\\.annotation-api|jspecify"
            + "|micrometer-(observation|commons))-[0-9][^/]*\\.jar$");

    /**
     * What only Spring Kafka brings to a plain Spring Boot application: Boot's module for it, Spring Kafka, the Kafka
     * client and its compression libraries, and the messaging and transaction modules they need
     * ({@link StartupReferences}).
     */
    private static final Pattern KAFKA_PARTS = Pattern.compile("^(spring-boot-kafka|spring-kafka|kafka-clients|zstd-jni"
            + "|lz4-java|snappy-java|spring-messaging|spring-tx|spring-boot-transaction|spring-boot-persistence)"
            + "-[0-9][^/]*\\.jar$");

    /** What only Spring AMQP brings: Boot's module for it, Spring AMQP and RabbitMQ's client, and what they need. */
    private static final Pattern RABBIT_PARTS = Pattern.compile("^(spring-boot-amqp|spring-rabbit|spring-amqp"
            + "|amqp-client|netty-(buffer|codec|codec-base|codec-compression|codec-marshalling|codec-protobuf|common"
            + "|handler|resolver|transport|transport-native-unix-common)|spring-messaging|spring-tx"
            + "|spring-boot-transaction|spring-boot-persistence)-[0-9][^/]*\\.jar$");

    /** This module's classes, as a directory or as the jar {@link #jarred} makes of it. */
    private static final Pattern OWN_CLASSES = Pattern.compile("^classes-[0-9]+\\.jar$");

    private static final Pattern RUN_MS = Pattern.compile("run-ms=([0-9.]+)");

    private static final Pattern BYTECODES = Pattern.compile("bytecodes main=([0-9]+)");

    private static final Pattern FIRST_CALL_MS = Pattern.compile("first-call-ms=([0-9.]+)");

    private final double withMillis;

    private final double withoutMillis;

    private final double costMillis;

    private StartupCost(double withMillis, double withoutMillis, double costMillis) {
        this.withMillis = withMillis;
        this.withoutMillis = withoutMillis;
        this.costMillis = costMillis;
    }

    /** Median run time with the starter, in milliseconds. */
    double withMillis() {
        return this.withMillis;
    }

    /** Median run time without it, in milliseconds. */
    double withoutMillis() {
        return this.withoutMillis;
    }

    /**
     * What the starter adds, in milliseconds: the median of the differences of the pairs of samples, each pair a
     * sample without and one with the starter run one after the other. On a VM whose speed drifts from minute to
     * minute this is steadier than the difference of the two medians.
     */
    double costMillis() {
        return this.costMillis;
    }

    /**
     * Measure on a JDK.
     * @param java the java executable
     * @param feature its feature version (17, 25): from 22 on, the JVM is allowed native access
     * @param samples samples of each kind; the median of each is taken
     * @param backend the native backend the starter is to use: {@code jni}, {@code ffm} or {@code jna}; a sample
     * that ends up on another fails the measure
     * @return the medians
     */
    static StartupCost measure(String java, int feature, int samples, String backend) throws Exception {
        return measure(java, feature, samples, System.getProperty("java.class.path"), "with",
                List.of("-Deventfd.native=" + backend), List.of());
    }

    /**
     * Measure what a reference adds to the same start instead ({@link StartupReferences}): the same tiny application
     * with one listener of Spring Kafka or of Spring AMQP, on the plain class path plus Boot's module for it.
     * @param java the java executable
     * @param feature its feature version
     * @param samples pairs of samples
     * @param reference {@code kafka} or {@code rabbit}
     * @return the medians; "with" is the reference
     */
    static StartupCost measureReference(String java, int feature, int samples, String reference) throws Exception {
        StartupReferences.application(reference);
        return measure(java, feature, samples, System.getProperty("java.class.path"), reference, List.of(), List.of());
    }

    /**
     * Measure on a JDK 25 or later with an AOT cache (JEP 483 and 514) for each kind of sample, made by one
     * training run of that kind first: what an application deployed with {@code -XX:AOTCache} pays.
     * @param java the java executable
     * @param feature its feature version, 25 or later
     * @param samples samples of each kind
     * @param work a directory for the two caches
     * @return the medians
     */
    static StartupCost measureWithAotCache(String java, int feature, int samples, Path work) throws Exception {
        Path with = work.resolve("startup-with.aot");
        Path without = work.resolve("startup-without.aot");
        Files.deleteIfExists(with);
        Files.deleteIfExists(without);
        // an AOT cache takes jars only: class directories (this module's, when run from the build) become jars
        String classpath = jarred(System.getProperty("java.class.path"), work);
        sample(java, feature, "with", classpath, List.of("-XX:AOTCacheOutput=" + with));
        sample(java, feature, "without", classpath, List.of("-XX:AOTCacheOutput=" + without));
        return measure(java, feature, samples, classpath, "with", List.of("-XX:AOTCache=" + with),
                List.of("-XX:AOTCache=" + without));
    }

    /**
     * The floor under the starter's cost on a JDK: what its native layer's own first call costs in an otherwise empty
     * JVM (FFM's linker on JDK 22 and later, JNA's registration before), with nothing of this project loaded. The
     * program, a resource of this module, is compiled with that JDK's javac into {@code work} and run in fresh JVMs.
     * @param java the java executable
     * @param feature its feature version: FFM from 22 on, JNA before
     * @param samples samples; the median is taken
     * @param work a directory for the compiled program
     * @return the median wall time of the first call, in milliseconds
     */
    static double firstNativeCallMillis(String java, int feature, int samples, Path work) throws Exception {
        return firstCallMillis(java, feature, samples, work, (feature >= 22) ? "ffm" : "jna");
    }

    /**
     * What eventfd-core's JNI backend's first call costs in an otherwise empty JVM: eventfd-core alone on the class
     * path, its library copied out, loaded and called ({@code FirstJniCall}, compiled and run like the floor above).
     * @param java the java executable
     * @param feature its feature version
     * @param samples samples; the median is taken
     * @param work a directory for the compiled program
     * @return the median wall time of the first call, in milliseconds
     */
    static double firstJniCallMillis(String java, int feature, int samples, Path work) throws Exception {
        return firstCallMillis(java, feature, samples, work, "jni");
    }

    private static double firstCallMillis(String java, int feature, int samples, Path work, String backend)
            throws Exception {
        boolean ffm = backend.equals("ffm");
        boolean jni = backend.equals("jni");
        String program = ffm ? "FirstDowncall" : (jni ? "FirstJniCall" : "FirstJnaCall");
        Path classes = Files.createDirectories(work.resolve(program));
        Path source = classes.resolve(program + ".java");
        copyResource(program + ".java", source);
        String library = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.matches(jni ? ".*eventfd-core.*" : ".*/jna-[0-9][^/]*\\.jar$")).findFirst()
                .orElse("");
        String classpath = ffm ? classes.toString() : classes + File.pathSeparator + library;
        Path javac = Path.of(java).resolveSibling("javac");
        run(List.of(javac.toString(), "-d", classes.toString(), "-cp", classpath, source.toString()), "javac");
        List<String> command = new ArrayList<>(List.of(java));
        if (feature >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-Deventfd.native=" + backend, "-cp", classpath, program));
        double[] millis = new double[samples];
        for (int i = 0; i < samples; i++) {
            Matcher matcher = FIRST_CALL_MS.matcher(run(command, program));
            if (!matcher.find()) {
                throw new IllegalStateException(program + " printed no first-call-ms");
            }
            millis[i] = Double.parseDouble(matcher.group(1));
        }
        return median(millis);
    }

    /** Copy a source of this module's {@code startup} resources to a file, to be compiled there. */
    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = StartupCost.class.getResourceAsStream("/startup/" + name)) {
            Files.copy(Objects.requireNonNull(in, name), target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String run(List<String> command, String what) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed:\n" + output);
        }
        return output;
    }

    /** The class path with each directory replaced by a jar of its content, made in {@code work}. */
    private static String jarred(String classpath, Path work) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isDirectory(path)) {
                entries.add(entry);
                continue;
            }
            Path jar = work.resolve("classes-" + entries.size() + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                    Stream<Path> files = Files.walk(path)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(new JarEntry(path.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            entries.add(jar.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Pairs of samples: "without", and {@code mode} ("with", or a reference) with its options. */
    private static StartupCost measure(String java, int feature, int samples, String classpath, String mode,
            List<String> withOptions, List<String> withoutOptions) throws Exception {
        double[] with = new double[samples];
        double[] without = new double[samples];
        if (samples > 1) {
            // warms the page cache for the jars; not counted
            sample(java, feature, "without", classpath, withoutOptions);
            sample(java, feature, mode, classpath, withOptions);
        }
        double[] differences = new double[samples];
        for (int i = 0; i < samples; i++) {
            // which kind goes first alternates, so that neither is always the second of a pair
            if (i % 2 == 0) {
                without[i] = sample(java, feature, "without", classpath, withoutOptions);
                with[i] = sample(java, feature, mode, classpath, withOptions);
            }
            else {
                with[i] = sample(java, feature, mode, classpath, withOptions);
                without[i] = sample(java, feature, "without", classpath, withoutOptions);
            }
            differences[i] = with[i] - without[i];
        }
        return new StartupCost(median(with), median(without), median(differences));
    }

    private static double sample(String java, int feature, String mode, String classpath, List<String> options)
            throws Exception {
        String output = sampleOutput(java, feature, mode, classpath, options);
        Matcher matcher = RUN_MS.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("startup sample '" + mode + "' printed no run-ms:\n" + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * The bytecodes the main thread runs from the JVM's start to its end, in one sample of each kind on the JNI
     * backend, counted by a JVMTI agent (a resource of this module, compiled with the system's gcc against the JDK's
     * headers into {@code work}) that asks for single-step events. The JVM then interprets every method, so the count
     * does not depend on when the JIT compiler would have stepped in: it is the same from run to run within a
     * fraction of a percent, where the wall time of a start on a small VM moves by tens of percent. It counts the
     * work of the Java code a start runs; class loading and the JVM's own work are not in it.
     * @param java the java executable
     * @param feature its feature version
     * @param work a directory for the agent
     * @return the count without the starter, then with it
     */
    static long[] mainThreadBytecodes(String java, int feature, Path work) throws Exception {
        Path source = work.resolve("bytecodes.c");
        copyResource("bytecodes.c", source);
        Path agent = work.resolve("libbytecodes.so");
        Path javaHome = Path.of(java).toAbsolutePath().getParent().getParent();
        run(List.of("gcc", "-O2", "-shared", "-fPIC", "-I" + javaHome.resolve("include"),
                "-I" + javaHome.resolve("include").resolve("linux"), "-o", agent.toString(), source.toString()), "gcc");
        List<String> options = List.of("-agentpath:" + agent, "-Deventfd.native=jni");
        String classpath = System.getProperty("java.class.path");
        long[] counts = new long[2];
        String[] modes = { "without", "with" };
        for (int i = 0; i < 2; i++) {
            String output = sampleOutput(java, feature, modes[i], classpath, options);
            Matcher matcher = BYTECODES.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException("the bytecode counter printed no count:\n" + output);
            }
            counts[i] = Long.parseLong(matcher.group(1));
        }
        return counts;
    }

    /**
     * The classes a sample loads (a start and its close), one sample of each kind on the JNI backend
     * ({@code -Xlog:class+load}): all of them, and those spun at run time (hidden classes: one per lambda or method
     * reference first used, and the JDK's {@code LambdaForm} classes behind method handles and reflective calls). Unlike bytecodes, each class
     * costs loading, verification and, for a spun one, generating it; on a cold JVM each is a fraction of a
     * millisecond, which the bytecode count does not see.
     * @param java the java executable
     * @param feature its feature version
     * @param work a directory for the logs
     * @return without the starter: classes, spun classes; then the same with it
     */
    static long[] loadedClasses(String java, int feature, Path work) throws Exception {
        long[] counts = new long[4];
        String[] modes = { "without", "with" };
        for (int i = 0; i < 2; i++) {
            Path log = work.resolve("classes-" + modes[i] + ".log");
            sampleOutput(java, feature, modes[i], System.getProperty("java.class.path"),
                    List.of("-Xlog:class+load=info:file=" + log, "-Deventfd.native=jni"));
            try (Stream<String> lines = Files.lines(log)) {
                List<String> loaded = lines.filter(line -> line.contains(" source: ")).toList();
                counts[2 * i] = loaded.size();
                // hidden classes from the JDK's CDS archive were made when the JDK was built, not now
                counts[2 * i + 1] = loaded.stream()
                        .filter(line -> line.contains("/0x") && !line.contains("shared objects file")).count();
            }
        }
        return counts;
    }

    private static String sampleOutput(String java, int feature, String mode, String classpath, List<String> options)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        if (feature >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", classpath(classpath, mode), StartupCost.class.getName(), mode));
        String output = run(command, "startup sample '" + mode + "'");
        if (isReference(mode)) {
            if (!output.contains("reference=" + mode + " listeners=1 ")) {
                throw new IllegalStateException("startup reference '" + mode + "' did not run one listener:\n" + output);
            }
            return output;
        }
        String backend = options.stream().filter(option -> option.startsWith("-Deventfd.native="))
                .map(option -> option.substring("-Deventfd.native=".length())).findFirst().orElse("jni");
        if (!output.contains("starter=" + mode.equals("with")) || (mode.equals("with") && !output.contains("backend=" + backend))) {
            throw new IllegalStateException("startup sample '" + mode + "' did not run as asked:\n" + output);
        }
        return output;
    }

    /**
     * The class path of a sample: this module's classes and a plain Spring Boot application's jars, and for a sample
     * with the starter also the starter, eventfd-core and JNA; for a reference, what only Spring Kafka or Spring AMQP
     * brings instead. Without them the application starts as it would had the starter never been added (its
     * annotation on the listener is simply not there at run time).
     * @param classpath this module's class path
     * @param mode {@code without}, {@code with}, {@code kafka} or {@code rabbit}
     */
    static String classpath(String classpath, String mode) {
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(entry -> {
            Path path = Path.of(entry);
            String name = String.valueOf(path.getFileName());
            if (STARTER_PARTS.matcher(path.toString()).find()) {
                return mode.equals("with");
            }
            if (KAFKA_PARTS.matcher(name).matches() && mode.equals("kafka")
                    || RABBIT_PARTS.matcher(name).matches() && mode.equals("rabbit")) {
                return true;
            }
            return Files.isDirectory(path) || OWN_CLASSES.matcher(name).matches()
                    || PLAIN_APPLICATION.matcher(name).matches();
        }).collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Whether a sample's mode is a reference's ({@link StartupReferences}); decided here so that the starter's samples
     * never load that class.
     */
    private static boolean isReference(String mode) {
        return mode.equals("kafka") || mode.equals("rabbit");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static void main(String[] args) {
        String mode = args[0];
        boolean reference = isReference(mode);
        Class<?> application = reference ? StartupReferences.application(mode) : StartupApplication.class;
        SpringApplicationBuilder builder = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties("logging.level.root=warn");
        String[] arguments = reference ? StartupReferences.arguments(mode) : new String[0];
        long start = System.nanoTime();
        ConfigurableApplicationContext context = builder.run(arguments);
        long nanos = System.nanoTime() - start;
        if (reference) {
            long listeners = StartupReferences.runningListeners(context, mode);
            System.out.printf(java.util.Locale.ROOT, "reference=%s listeners=%d run-ms=%.3f%n", mode, listeners,
                    nanos / 1e6);
            System.out.flush();
            // a consumer still trying to reach a broker would hold a close up for seconds: not part of a start
            Runtime.getRuntime().halt(0);
        }
        boolean wired = Arrays.stream(context.getBeanDefinitionNames()).anyMatch(name -> name.contains("eventfd"));
        context.close();
        // NativeCalls is resolved only here, where the starter (and eventfd-core) are on the class path
        String backend = wired ? io.github.eventfd.internal.NativeCalls.INSTANCE.name() : "none";
        System.out.printf(java.util.Locale.ROOT, "starter=%s backend=%s run-ms=%.3f%n", wired, backend, nanos / 1e6);
        System.exit(0);
    }

    /** A tiny application: auto-configuration and one listener, which only the starter wires. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class StartupApplication {

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    /** Listens on channel "startup". */
    static class Listener {

        @EventFdListener("startup")
        void onSignal() {
            // nothing: the channel's setup is what is measured
        }
    }
}
