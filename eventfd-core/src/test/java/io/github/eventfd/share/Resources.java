package io.github.eventfd.share;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed in reverse order when the test ends. */
final class Resources implements AutoCloseable {

    private final List<AutoCloseable> opened = new ArrayList<>();

    <T extends AutoCloseable> T add(T resource) {
        this.opened.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = this.opened.size() - 1; i >= 0; i--) {
            this.opened.get(i).close();
        }
        this.opened.clear();
    }
}
