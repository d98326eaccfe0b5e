package dev.jgql;

import dev.jgql.countries.CountriesServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.List;

/**
 * For test classes that share one countries backend (started before their first test, stopped
 * after their last) and close what each test opened, in reverse order, after it; once all ran, no
 * thread of theirs may be left.
 */
public abstract class BackendTestSupport {
    /** The backend of the running test class. */
    protected static CountriesServer backend;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
        // every client of the class was closed after its test: none of their threads may be left
        dev.jgql.transport.http.LeakChecks.assertNoJgqlThreadLeft();
    }

    /** Closes the resource after the test, before those opened earlier. */
    protected <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(0, resource);
        return resource;
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
    }
}
