package io.github.eventfd.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The class paths the startup samples run on, made from this module's own class path. */
class StartupCostTest {

    /** The entries of a class path, each as its path with '/' separators, for names and module directories. */
    private static List<String> names(String classpath) {
        return List.of(classpath.split(File.pathSeparator)).stream()
                .map(entry -> entry.replace(File.separatorChar, '/')).toList();
    }

    /** An entry's last part: a jar's name, not the directories it is in (a checkout's path may name anything). */
    private static String fileName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    @Test
    void aSampleWithTheStarterRunsAPlainBootApplicationPlusTheStarterAndWhatOnlyItBrings() {
        String classpath = System.getProperty("java.class.path");
        assertThat(names(classpath)).anyMatch(name -> name.contains("/lettuce-core-"));
        List<String> with = names(StartupCost.classpath(classpath, "with"));
        List<String> without = names(StartupCost.classpath(classpath, "without"));
        // a jar, or a module's classes in a reactor build
        assertThat(with).anyMatch(name -> name.contains("eventfd-spring-boot-starter"))
                .anyMatch(name -> name.contains("eventfd-core")).anyMatch(name -> name.contains("/jna-"));
        assertThat(without).noneMatch(name -> name.contains("eventfd-spring-boot-starter")
                || name.contains("eventfd-core") || name.contains("/jna-"));
        // what a plain Boot application has, in both
        for (List<String> sample : List.of(with, without)) {
            assertThat(sample).anyMatch(name -> name.contains("/spring-boot-autoconfigure-"))
                    .anyMatch(name -> name.contains("/spring-context-")).anyMatch(name -> name.contains("/logback-classic-"));
            // the benchmark module's own dependencies are in neither
            assertThat(sample).noneMatch(name -> name.contains("/lettuce-") || name.contains("/spring-data-")
                    || name.contains("/jmh-") || name.contains("/netty-") || name.contains("/junit-")
                    || fileName(name).contains("kafka") || fileName(name).contains("amqp")
                    || fileName(name).contains("rabbit"));
        }
        // the only difference is the starter's part
        assertThat(with).containsAll(without);
        assertThat(with.size() - without.size()).isEqualTo(3);
    }

    @Test
    void aReferenceSampleRunsThePlainApplicationPlusOnlyWhatItsOwnModuleBrings() {
        String classpath = System.getProperty("java.class.path");
        List<String> without = names(StartupCost.classpath(classpath, "without"));
        List<String> kafka = names(StartupCost.classpath(classpath, "kafka"));
        List<String> rabbit = names(StartupCost.classpath(classpath, "rabbit"));
        for (List<String> reference : List.of(kafka, rabbit)) {
            assertThat(reference).containsAll(without);
            // neither the starter nor the benchmark module's own dependencies (Lettuce brings Netty too)
            assertThat(reference).noneMatch(name -> name.contains("eventfd-spring-boot-starter")
                    || name.contains("eventfd-core") || name.contains("/jna-") || name.contains("/lettuce-")
                    || name.contains("/netty-resolver-dns") || name.contains("/jmh-"));
        }
        assertThat(kafka).anyMatch(name -> name.contains("/spring-boot-kafka-"))
                .anyMatch(name -> name.contains("/kafka-clients-")).noneMatch(name -> fileName(name).contains("amqp"));
        assertThat(rabbit).anyMatch(name -> name.contains("/spring-boot-amqp-"))
                .anyMatch(name -> name.contains("/amqp-client-")).anyMatch(name -> name.contains("/netty-transport-"))
                .noneMatch(name -> fileName(name).contains("kafka"));
    }

    @Test
    void aReferenceSampleReachesForItsBrokerOnlyOnTheLoopbackWhateverTheEnvironmentSays() {
        // addresses an environment could give (192.0.2.1 is a documentation address), ranked as Boot ranks them
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                "elsewhere-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "192.0.2.1:9092", "SPRING_KAFKA_CONSUMER_BOOTSTRAP_SERVERS",
                        "192.0.2.1:9092", "SPRING_RABBITMQ_ADDRESSES", "192.0.2.1:5672", "SPRING_RABBITMQ_HOST",
                        "192.0.2.1")));
        // without the arguments, they would be used
        assertThat(Binder.get(environment).bind("spring.kafka", KafkaProperties.class).get().getConsumer()
                .getBootstrapServers()).containsExactly("192.0.2.1:9092");
        assertThat(Binder.get(environment).bind("spring.rabbitmq", RabbitProperties.class).get().determineAddresses())
                .containsExactly("192.0.2.1:5672");
        for (String reference : List.of("kafka", "rabbit")) {
            environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(reference,
                    StartupReferences.arguments(reference)));
        }
        Binder binder = Binder.get(environment);
        KafkaProperties kafka = binder.bind("spring.kafka", KafkaProperties.class).get();
        assertThat(kafka.getBootstrapServers()).containsExactly("localhost:9092");
        assertThat(kafka.getConsumer().getBootstrapServers()).containsExactly("localhost:9092");
        RabbitProperties rabbit = binder.bind("spring.rabbitmq", RabbitProperties.class).get();
        assertThat(rabbit.determineAddresses()).containsExactly("localhost:5672");
    }

    @Test
    void eachReferenceStartsWithOneRunningListenerOnItsOwnClassPath() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String reference : List.of("kafka", "rabbit")) {
            // a sample fails the measure unless its module wired and started the one listener
            StartupCost cost = StartupCost.measureReference(java, Runtime.version().feature(), 1, reference);
            assertThat(cost.withMillis()).as(reference).isPositive();
        }
    }

    @Test
    void theBytecodeCounterCountsTheMainThreadsWorkAndTheStartersShareIsPositive(@TempDir Path work)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long[] counts = StartupCost.mainThreadBytecodes(java, Runtime.version().feature(), work);
        // a Spring Boot start runs tens of millions of bytecodes; the starter adds to them
        assertThat(counts[0]).isGreaterThan(10_000_000L);
        assertThat(counts[1]).isGreaterThan(counts[0]);
    }

    @Test
    void theClassCountSeesTheStartersClassesAndThoseSpunAtRunTime(@TempDir Path work) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long[] counts = StartupCost.loadedClasses(java, Runtime.version().feature(), work);
        // a Spring Boot start loads thousands of classes, and spins some (Spring's own lambdas) with or without it
        assertThat(counts[0]).isGreaterThan(1_000L);
        assertThat(counts[1]).isPositive().isLessThan(counts[0]);
        // the starter's classes (its jar, eventfd-core's) come on top
        assertThat(counts[2]).isGreaterThan(counts[0] + 50);
        assertThat(counts[3]).isLessThan(counts[2]);
    }

    @Test
    void theFloorProgramsCompileAndTimeAFirstNativeCallOnEachBackend(@TempDir Path work) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(StartupCost.firstNativeCallMillis(java, Runtime.version().feature(), 1, work)).isPositive();
        // the program checks that it ran on the JNI backend, and fails otherwise
        assertThat(StartupCost.firstJniCallMillis(java, Runtime.version().feature(), 1, work)).isPositive();
        String java22 = System.getenv("JAVA22_HOME");
        if (java22 != null) {
            assertThat(StartupCost.firstNativeCallMillis(Path.of(java22, "bin", "java").toString(), 22, 1, work))
                    .isPositive();
            assertThat(StartupCost.firstJniCallMillis(Path.of(java22, "bin", "java").toString(), 22, 1, work))
                    .isPositive();
        }
    }
}
