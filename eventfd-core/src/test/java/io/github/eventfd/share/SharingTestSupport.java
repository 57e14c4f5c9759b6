package io.github.eventfd.share;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the in-JVM sharing tests have in common: a directory of their own for sockets, the channels and
 * connections they opened (closed in reverse order after each test), and a listener that records refusals.
 */
abstract class SharingTestSupport {

    @TempDir
    Path directory;

    final Resources resources = new Resources();

    final RecordingShareListener listener = new RecordingShareListener();

    @AfterEach
    void closeResources() throws Exception {
        this.resources.close();
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        return this.resources.add(resource);
    }

    long refusals(ShareErrorReason reason) {
        return this.listener.refusals(reason);
    }
}
