package io.github.eventfd.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * Loads eventfd-core's JNI library ({@link JniCalls}) from the jar that holds this class, once per class
 * loader. The JVM loads a library only from a file, so the library is copied out first, where no other user
 * can touch it: into a directory that {@code mkdir(2)} makes with mode 0700 under {@code java.io.tmpdir} (or
 * the directory named by system property {@code eventfd.native.tmpdir}), a name that already exists being
 * skipped, never reused, whoever made it, and only where no other user can rename what is made: under
 * directories that belong to this user or root and that no one else may write to, unless sticky. The copy and
 * its directory are deleted right after the load: a loaded library stays mapped. Not API.
 */
final class JniLibrary {

    /** How many fresh names are tried before the load gives up: each taken one is a planted or stale entry. */
    static final int ATTEMPTS = 32;

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    /** Whether this class loader has loaded the library; guarded by the class's lock ({@link #load()}). */
    private static boolean loaded;

    private JniLibrary() {
    }

    /**
     * The jar's resource path of the library for this platform.
     * @return the path, relative to this class's package
     */
    static String resource() {
        // no String.format: its first use loads the regex engine, milliseconds of startup
        return "jni/linux-" + System.getProperty("os.arch") + "/libeventfd-jni.so";
    }

    /**
     * Loads the library unless this class loader has it already: a second copy would keep an errno of its own,
     * and each native method binds to whichever copy the JVM finds first, so that {@code lastErrno()} could
     * read a copy the failed call never wrote.
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        if (!System.getProperty("os.name", "").equals("Linux")) {
            throw new UnsatisfiedLinkError("the eventfd JNI library is for Linux, not " + System.getProperty("os.name"));
        }
        String resource = resource();
        try (InputStream library = JniLibrary.class.getResourceAsStream(resource)) {
            if (library == null) {
                throw new UnsatisfiedLinkError("eventfd-core carries no JNI library for " + System.getProperty("os.arch")
                        + " (no " + resource + " beside " + JniLibrary.class.getName() + ")");
            }
            Path directory = privateDirectory(baseDirectory());
            Path file = directory.resolve("libeventfd-jni.so");
            try {
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    library.transferTo(out);
                }
                // the umask may have left the owner unable to read it
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
                try {
                    System.load(file.toString());
                }
                catch (UnsatisfiedLinkError ex) {
                    // "failed to map segment from shared object" says nothing of the property that helps
                    UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot load the eventfd JNI library copied "
                            + "out to " + directory.getParent() + ": " + ex.getMessage() + "; where that file system "
                            + "forbids executables (noexec), set system property eventfd.native.tmpdir to a directory of "
                            + "your own on one that allows them, or eventfd.native=ffm or jna to use another backend");
                    error.initCause(ex);
                    throw error;
                }
                loaded = true;
            }
            finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory);
            }
        }
        catch (IOException ex) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot copy out the eventfd JNI library: " + ex
                    + "; set system property eventfd.native.tmpdir to a directory of your own on a file system that "
                    + "allows executables, or eventfd.native=ffm or jna to use another backend");
            error.initCause(ex);
            throw error;
        }
    }

    private static Path baseDirectory() {
        @Nullable String configured = System.getProperty("eventfd.native.tmpdir");
        return Path.of((configured != null) ? configured : System.getProperty("java.io.tmpdir"));
    }

    /**
     * A directory this call made, mode 0700. {@code mkdir(2)} fails on any existing name, a symbolic link
     * included, so a name another user planted is skipped; the names need no secrecy (and no
     * {@code SecureRandom}, tens of milliseconds at startup), only to differ between attempts.
     */
    static Path privateDirectory(Path base) throws IOException {
        String prefix = "eventfd-jni-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()) + "-";
        return privateDirectory(base, (attempt) -> prefix + attempt);
    }

    /**
     * {@link #privateDirectory(Path)} with the names to try given, for tests.
     * @param names the name of each attempt, from 0 to {@value #ATTEMPTS} - 1
     */
    static Path privateDirectory(Path base, IntFunction<String> names) throws IOException {
        Path real = base.toRealPath();
        checkNoOtherUserCanRename(real);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Path candidate = real.resolve(names.apply(attempt));
            Path made;
            try {
                made = Files.createDirectory(candidate, PosixFilePermissions.asFileAttribute(PRIVATE));
            }
            catch (FileAlreadyExistsException ex) {
                // planted, or another process's: try another name
                continue;
            }
            try {
                // mkdir's mode passes through the umask, which may take the owner's own bits (0277 leaves r-x)
                Files.setPosixFilePermissions(made, PRIVATE);
                PosixFileAttributes attributes = Files.readAttributes(made, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isDirectory() || !attributes.permissions().equals(PRIVATE)) {
                    throw new IOException(made + " is not the private directory just made: " + attributes.permissions());
                }
                return made;
            }
            catch (IOException ex) {
                Files.deleteIfExists(made);
                throw ex;
            }
        }
        throw new IOException(ATTEMPTS + " names in " + base + " were all taken");
    }

    /**
     * A mode of 0700 keeps other users out of the directory made, not from renaming it: one who may write to
     * the directory it is made in, or to any above, could put a directory of theirs in its place between the
     * copy and the load, and the JVM would load their library. So each directory from the root down must
     * belong to this user or root, and be writable by no one else unless sticky (as {@code /tmp} is, where
     * only an entry's owner may rename it), down to the base or to the first that no one else may enter:
     * below that one, no one else reaches anything.
     */
    private static void checkNoOtherUserCanRename(Path real) throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path directory = real.getRoot();
        for (int depth = 0; depth <= real.getNameCount(); depth++) {
            if (depth > 0) {
                directory = directory.resolve(real.getName(depth - 1));
            }
            int owner = (Integer) Files.getAttribute(directory, "unix:uid");
            int mode = (Integer) Files.getAttribute(directory, "unix:mode") & 07777;
            if (owner != uid && owner != 0) {
                throw new IOException(directory + " belongs to uid " + owner + ", who could swap the library for "
                        + "theirs between its copy and its load; the directory to copy into and those above it must "
                        + "belong to this user (uid " + uid + ") or root");
            }
            if ((mode & 0011) == 0) {
                return;
            }
            if ((mode & 0022) != 0 && (mode & 01000) == 0) {
                throw new IOException(directory + " is writable by other users (mode 0" + Integer.toOctalString(mode)
                        + ") and not sticky: any of them could swap the library for theirs between its copy and its "
                        + "load");
            }
        }
    }
}
