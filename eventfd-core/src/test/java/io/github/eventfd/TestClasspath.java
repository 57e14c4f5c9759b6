package io.github.eventfd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Copy a class path where any user can read it, for a child JVM that runs as another uid (the build's own
     * directories may be closed to it).
     * @param classpath the class path
     * @param directory where to copy it; made readable and searchable by all
     * @return the class path of the copies
     */
    public static String copyForAnyone(String classpath, Path directory) throws IOException {
        List<String> entries = new ArrayList<>();
        int index = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            Path source = Path.of(entry);
            Path target = directory.resolve("cp" + index++);
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path copy = target.resolve(source.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(copy);
                        }
                        else {
                            Files.copy(file, copy);
                        }
                    }
                }
            }
            else {
                target = directory.resolve("cp" + index + ".jar");
                Files.createDirectories(directory);
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        try (Stream<Path> all = Files.walk(directory)) {
            all.forEach(path -> {
                try {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                            Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        return String.join(File.pathSeparator, entries);
    }

    /** The java executable of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
