package dev.jgql.interop.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Spring for GraphQL server (Spring Boot 3.5, servlet stack on Tomcat) started in-process on
 * 127.0.0.1 and a free port, with WebSocket on {@code /graphql}.
 */
final class SpringGraphQLServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;

    private SpringGraphQLServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static SpringGraphQLServer start(Map<String, Object> extraProperties) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        Map<String, Object> properties = new java.util.HashMap<>(Map.of(
                "server.address", "127.0.0.1",
                "server.port", "0",
                "spring.graphql.websocket.path", "/graphql",
                "spring.main.register-shutdown-hook", "false",
                "logging.level.root", "WARN",
                // Spring logs the legacy-protocol refusal as an error; the test expects it.
                "logging.level.org.springframework.web.socket.handler.ExceptionWebSocketHandlerDecorator", "OFF"));
        properties.putAll(extraProperties);
        application.setDefaultProperties(properties);
        return new SpringGraphQLServer(application.run());
    }

    URI webSocketUri() {
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("ws://127.0.0.1:" + port + "/graphql");
    }

    URI httpUri() {
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + "/graphql");
    }

    int counter() {
        return context.getBean(Api.class).counter.get();
    }

    int activeCountdowns() {
        return context.getBean(Api.class).active.get();
    }

    @Override
    public void close() {
        context.close();
    }

    @SpringBootApplication
    static class App {
    }

    @Controller
    static class Api {
        final AtomicInteger counter = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();

        @QueryMapping
        String hello(@Argument String name) {
            return "Hello, " + name;
        }

        @MutationMapping
        int increment(@Argument int by) {
            return counter.addAndGet(by);
        }

        @SubscriptionMapping
        Flux<Integer> countdown(@Argument int from, @Argument int intervalMs) {
            return Flux.interval(Duration.ofMillis(intervalMs))
                    .map(tick -> from - tick.intValue())
                    .take(from + 1L)
                    .doOnSubscribe(s -> active.incrementAndGet())
                    .doFinally(signal -> active.decrementAndGet());
        }
    }
}
