package io.github.eventfd.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * application with one {@code @EventFdListener}, with the starter's auto-configuration and with it excluded,
 * each sample in a fresh JVM (class loading and the native layer's setup are part of the cost), the two kinds
 * of sample interleaved. Run as a main, it is one sample: argument {@code with} or {@code without}; it prints
 * {@code run-ms=<milliseconds>}.
 */
final class StartupCost {

    private static final String EXCLUDED = "spring.autoconfigure.exclude="
            + "io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration,"
            + "io.github.eventfd.spring.autoconfigure.EventFdMetricsAutoConfiguration,"
            + "io.github.eventfd.spring.autoconfigure.EventFdHealthContributorAutoConfiguration,"
            + "io.github.eventfd.spring.autoconfigure.EventFdEndpointAutoConfiguration";

    private static final Pattern RUN_MS = Pattern.compile("run-ms=([0-9.]+)");

    private final double withMillis;

    private final double withoutMillis;

    private StartupCost(double withMillis, double withoutMillis) {
        this.withMillis = withMillis;
        this.withoutMillis = withoutMillis;
    }

    /** Median run time with the starter, in milliseconds. */
    double withMillis() {
        return this.withMillis;
    }

    /** Median run time without it, in milliseconds. */
    double withoutMillis() {
        return this.withoutMillis;
    }

    /** What the starter adds: the difference of the medians, in milliseconds. */
    double costMillis() {
        return this.withMillis - this.withoutMillis;
    }

    /**
     * Measure on a JDK.
     * @param java the java executable
     * @param feature its feature version (17, 25): from 22 on, the JVM is allowed native access
     * @param samples samples of each kind; the median of each is taken
     * @return the medians
     */
    static StartupCost measure(String java, int feature, int samples) throws Exception {
        double[] with = new double[samples];
        double[] without = new double[samples];
        if (samples > 1) {
            sample(java, feature, "without"); // warms the page cache for the jars; not counted
        }
        for (int i = 0; i < samples; i++) {
            without[i] = sample(java, feature, "without");
            with[i] = sample(java, feature, "with");
        }
        return new StartupCost(median(with), median(without));
    }

    private static double sample(String java, int feature, String mode) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        if (feature >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartupCost.class.getName(), mode));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("startup sample '" + mode + "' failed:\n" + output);
        }
        Matcher matcher = RUN_MS.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("startup sample '" + mode + "' printed no run-ms:\n" + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static void main(String[] args) {
        boolean withStarter = args[0].equals("with");
        SpringApplicationBuilder builder = new SpringApplicationBuilder(StartupApplication.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties("logging.level.root=warn");
        if (!withStarter) {
            builder.properties(EXCLUDED);
        }
        long start = System.nanoTime();
        ConfigurableApplicationContext context = builder.run();
        long nanos = System.nanoTime() - start;
        context.close();
        System.out.printf(java.util.Locale.ROOT, "run-ms=%.3f%n", nanos / 1e6);
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
