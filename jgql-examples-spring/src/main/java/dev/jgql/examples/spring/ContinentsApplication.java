package dev.jgql.examples.spring;

import dev.jgql.Client;
import dev.jgql.Reconnect;
import dev.jgql.spring.boot.JgqlProperties;
import dev.jgql.spring.boot.JgqlSessionLifecycle;
import java.io.PrintStream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The seed's web service (gql's FastAPI example) on Spring Boot: one permanent, self-healing session to the
 * GraphQL backend, auto-configured by {@code jgql-spring-boot-starter} from {@code jgql.url}, opened before the
 * web server takes requests and closed after it has stopped. Routes in {@link ContinentController}; health and
 * metrics at {@code /actuator/health} and {@code /actuator/metrics}.
 *
 * <pre>
 * java -jar jgql-examples-spring/target/jgql-examples-spring-VERSION.jar --jgql.url=http://127.0.0.1:4000/graphql --server.port=8000
 * </pre>
 */
@SpringBootApplication
public class ContinentsApplication {

    /**
     * Starts the web service.
     *
     * @param args Spring Boot's: {@code --jgql.url=URL}, {@code --server.port=N}, any other property
     */
    public static void main(String[] args) {
        SpringApplication.run(ContinentsApplication.class, args);
    }

    /**
     * The starter's session lifecycle, with the seed's start-up and shutdown messages around it: what
     * overriding one of the starter's beans looks like.
     *
     * @param client     the auto-configured client
     * @param reconnect  the auto-configured reconnect options
     * @param properties the jgql.* properties
     * @return the lifecycle
     */
    @Bean
    JgqlSessionLifecycle jgqlSessionLifecycle(Client client, Reconnect reconnect, JgqlProperties properties) {
        PrintStream out = System.out;
        return new JgqlSessionLifecycle(client, reconnect, properties.getConnect().isAwaitAtStartup(),
                properties.getConnect().getStartupTimeout(), properties.getShutdownTimeout()) {
            @Override
            public void start() {
                out.println("Connecting to GraphQL backend");
                super.start();
                out.println("End of startup");
            }

            @Override
            public void stop(Runnable callback) {
                out.println("Shutting down GraphQL permanent connection...");
                super.stop(() -> {
                    out.println("Shutting down GraphQL permanent connection... done");
                    callback.run();
                });
            }
        };
    }
}
