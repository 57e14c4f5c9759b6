package io.github.eventfd;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The class path a child JVM of a test needs: the locations the given classes were loaded from. */
public final class TestClasspath {

    private TestClasspath() {
    }

    /**
     * @param types one class from each location needed
     * @return the locations joined with the path separator
     */
    public static String of(Class<?>... types) {
        return Stream.of(types).map(TestClasspath::location).distinct().collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The java executable of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
