package io.github.eventfd.bench;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * The startup benchmark's references: the same tiny application as {@link StartupCost}'s, with one listener of
 * Spring Kafka or of Spring AMQP instead of the {@code @EventFdListener}, each on a plain Spring Boot class path plus
 * Boot's module for it and what that brings. They give the starter's cost a scale: what the modules Spring users
 * compare it with add to the same start. No broker is needed: each listener's container starts, and its consumer
 * tries to connect to the default address on the loopback interface in the background, as it would before a broker
 * is up.
 */
final class StartupReferences {

    private StartupReferences() {
    }

    /**
     * The application of a reference.
     * @param mode {@code kafka} or {@code rabbit}
     * @return its configuration class
     */
    static Class<?> application(String mode) {
        return switch (mode) {
            case "kafka" -> KafkaApplication.class;
            case "rabbit" -> RabbitApplication.class;
            default -> throw new IllegalArgumentException("no startup reference '" + mode + "': kafka or rabbit");
        };
    }

    /**
     * The command line arguments of a reference's sample: its module's default broker address on the loopback
     * interface, set where nothing outranks it, so that an address in the environment ({@code SPRING_KAFKA_*},
     * {@code SPRING_RABBITMQ_*}, {@code SPRING_APPLICATION_JSON}, an {@code application.properties} in the working
     * directory) cannot send a sample's consumer to a broker elsewhere. The values are the defaults: but for reading
     * the arguments, the sample starts as it would without them.
     * @param mode {@code kafka} or {@code rabbit}
     * @return the arguments
     */
    static String[] arguments(String mode) {
        return switch (mode) {
            // the consumer's own address, where set, takes the place of the common one
            case "kafka" -> new String[] { "--spring.kafka.bootstrap-servers=localhost:9092",
                    "--spring.kafka.consumer.bootstrap-servers=localhost:9092" };
            // addresses, where set, take the place of host and port
            case "rabbit" -> new String[] { "--spring.rabbitmq.addresses=localhost:5672" };
            default -> throw new IllegalArgumentException("no startup reference '" + mode + "': kafka or rabbit");
        };
    }

    /**
     * How many of a reference's listener containers run once the context is refreshed: one, where its module wired
     * the listener.
     * @param context the refreshed context
     * @param mode {@code kafka} or {@code rabbit}
     * @return the running containers
     */
    static long runningListeners(ConfigurableApplicationContext context, String mode) {
        if (mode.equals("kafka")) {
            return context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
                    .filter(Lifecycle::isRunning).count();
        }
        return context.getBean(RabbitListenerEndpointRegistry.class).getListenerContainers().stream()
                .filter(Lifecycle::isRunning).count();
    }

    /** A tiny application with one {@code @KafkaListener}. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class KafkaApplication {

        @Bean
        KafkaReceiver receiver() {
            return new KafkaReceiver();
        }
    }

    /** Listens on topic "startup". */
    static class KafkaReceiver {

        @KafkaListener(topics = "startup", groupId = "startup")
        void onMessage(String message) {
            // nothing: the listener's setup is what is measured
        }
    }

    /** A tiny application with one {@code @RabbitListener}. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class RabbitApplication {

        @Bean
        RabbitReceiver receiver() {
            return new RabbitReceiver();
        }
    }

    /** Listens on queue "startup". */
    static class RabbitReceiver {

        @RabbitListener(queues = "startup")
        void onMessage(String message) {
            // nothing: the listener's setup is what is measured
        }
    }
}
