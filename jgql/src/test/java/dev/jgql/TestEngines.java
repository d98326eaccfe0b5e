package dev.jgql;

import dev.jgql.engine.Engine;
import dev.jgql.engine.JdkEngine;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;

import java.net.URI;

/**
 * The engine the whole suite runs on, so that every HTTP and WebSocket test (faults and chaos
 * included) runs against each engine: the JDK's by default, another one when the system property
 * {@code jgql.test.engine} names an {@link Engine} class with a static {@code create()} (the
 * {@code jgql-vertx} module runs this suite again with its engine).
 */
public final class TestEngines {
    private static final Engine ENGINE = load(System.getProperty("jgql.test.engine", ""));

    private TestEngines() {
    }

    private static Engine load(String className) {
        if (className.isBlank()) {
            return JdkEngine.create();
        }
        try {
            return (Engine) Class.forName(className).getMethod("create").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jgql.test.engine=" + className + " is not an Engine with a static create()", e);
        }
    }

    /** The engine under test. */
    public static Engine engine() {
        return ENGINE;
    }

    /** Whether the suite runs on the JDK engine (for the few checks about the JDK's own threads). */
    public static boolean isJdk() {
        return ENGINE instanceof JdkEngine;
    }

    /** An HTTP transport builder on the engine under test. */
    public static HttpTransport.Builder http(URI uri) {
        return HttpTransport.builder(uri).engine(ENGINE);
    }

    /** A WebSocket transport builder on the engine under test. */
    public static WebSocketTransport.Builder ws(URI uri) {
        return WebSocketTransport.builder(uri).engine(ENGINE);
    }
}
