package dev.jgql.bench;

import dev.jgql.engine.Engine;
import dev.jgql.engine.JdkEngine;
import dev.jgql.vertx.VertxEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --engine jdk|vertx} option of the benchmark mains (default {@code jdk}), taken out of
 * their positional arguments.
 *
 * <pre>java -cp benchmarks.jar dev.jgql.bench.ReconnectTime --engine vertx 20</pre>
 */
final class BenchEngines {
    private BenchEngines() {
    }

    /** The engine named by {@code --engine}, or the JDK's. */
    static Engine engine(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--engine")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--engine needs a value: jdk or vertx");
                }
                return switch (args[i + 1].toLowerCase(Locale.ROOT)) {
                    case "jdk" -> JdkEngine.create();
                    case "vertx" -> VertxEngine.create();
                    default -> throw new IllegalArgumentException("--engine is jdk or vertx, not '" + args[i + 1] + "'");
                };
            }
        }
        return JdkEngine.create();
    }

    /** The arguments without {@code --engine} and its value. */
    static String[] positional(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--engine")) {
                i++;
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }
}
