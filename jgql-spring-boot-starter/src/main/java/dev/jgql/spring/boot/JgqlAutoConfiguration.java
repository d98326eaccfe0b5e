package dev.jgql.spring.boot;

import dev.jgql.CallOptions;
import dev.jgql.Client;
import dev.jgql.ClientEventListener;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.Reconnect;
import dev.jgql.TransportException;
import dev.jgql.TransportQueryException;
import dev.jgql.engine.Engine;
import dev.jgql.engine.JdkEngine;
import dev.jgql.spring.boot.JgqlProperties.EngineKind;
import dev.jgql.spring.boot.JgqlProperties.TransportKind;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures a jgql {@link Client} from the {@code jgql.*} properties, and its permanent session
 * ({@link JgqlSessionLifecycle}) for the application's life. Every bean can be replaced by defining one of the
 * same type: the {@link Transport}, the {@link Reconnect} options, the {@link Client}, the lifecycle. The client
 * gets every {@link ClientEventListener} and {@link GraphQLInterceptor} bean of the context, in {@code @Order},
 * and every {@link JgqlClientBuilderCustomizer} runs on its builder last.
 *
 * <pre>{@code
 * @RestController
 * class Continents {
 *     private final Client client;
 *
 *     Continents(Client client) {
 *         this.client = client;
 *     }
 *
 *     @GetMapping("/name/{code}")
 *     CompletableFuture<Map<String, Object>> name(@PathVariable String code) {
 *         return client.session().execute(QUERY, Map.of("code", code));
 *     }
 * }
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "jgql", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(JgqlProperties.class)
public class JgqlAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public JgqlAutoConfiguration() {
    }

    /**
     * The transport from {@code jgql.url}, {@code jgql.transport}, {@code jgql.engine}, {@code jgql.headers} and
     * {@code jgql.connect-timeout}.
     *
     * @param properties the properties
     * @return the transport
     */
    @Bean
    @ConditionalOnMissingBean
    public Transport jgqlTransport(JgqlProperties properties) {
        URI url = properties.getUrl();
        if (url == null) {
            throw new InvalidConfigurationPropertyValueException("jgql.url", null,
                    "jgql needs the GraphQL endpoint: set jgql.url (http(s):// or ws(s)://), define a Transport bean, "
                            + "or set jgql.enabled=false");
        }
        return transport("jgql.url", url, kind(properties.getTransport(), url), properties);
    }

    private static TransportKind kind(TransportKind configured, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        TransportKind fromScheme = switch (scheme) {
            case "http", "https" -> TransportKind.HTTP;
            case "ws", "wss" -> TransportKind.WS;
            default -> throw new InvalidConfigurationPropertyValueException("jgql.url", url,
                    "the scheme must be http, https, ws or wss");
        };
        if (configured != TransportKind.AUTO && configured != fromScheme) {
            throw new InvalidConfigurationPropertyValueException("jgql.transport", configured,
                    "jgql.url " + url + " is for " + fromScheme + "; leave jgql.transport at auto or change the URL");
        }
        return fromScheme;
    }

    private static Transport transport(String property, URI url, TransportKind kind, JgqlProperties properties) {
        Engine engine = engine(properties.getEngine());
        try {
            if (kind == TransportKind.HTTP) {
                return HttpTransport.builder(url).engine(engine).headers(properties.getHeaders())
                        .connectTimeout(properties.getConnectTimeout()).build();
            }
            return WebSocketTransport.builder(url).engine(engine).headers(properties.getHeaders())
                    .connectTimeout(properties.getConnectTimeout()).build();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, url, e.getMessage());
        }
    }

    private static Engine engine(EngineKind kind) {
        if (kind == EngineKind.JDK) {
            return JdkEngine.create();
        }
        if (!ClassUtils.isPresent("dev.jgql.vertx.VertxEngine", JgqlAutoConfiguration.class.getClassLoader())) {
            throw new InvalidConfigurationPropertyValueException("jgql.engine", kind,
                    "the Vert.x engine needs dev.jgql:jgql-vertx on the class path");
        }
        return VertxEngines.create();
    }

    /** Loaded only when jgql-vertx is present. */
    private static final class VertxEngines {
        static Engine create() {
            return dev.jgql.vertx.VertxEngine.create();
        }
    }

    /**
     * How the permanent session reconnects and retries, from {@code jgql.connect.*}, {@code jgql.execute.*} and
     * {@code jgql.resubscribe}.
     *
     * @param properties the properties
     * @return the options
     */
    @Bean
    @ConditionalOnMissingBean
    public Reconnect jgqlReconnect(JgqlProperties properties) {
        JgqlProperties.Connect connect = properties.getConnect();
        Reconnect.Builder reconnect = Reconnect.builder()
                .retryConnect(backoff("jgql.connect.retry", connect.getRetry()).handle(Exception.class).build())
                .demandInterval(connect.getDemandInterval())
                .retryUnsafeMutations(properties.getExecute().isRetryUnsafeMutations());
        JgqlProperties.Retry execute = properties.getExecute().getRetry();
        if (!properties.getExecute().isRetryEnabled()) {
            reconnect.noExecuteRetry();
        } else if (!isDefaultExecute(execute)) {
            reconnect.retryExecute(backoff("jgql.execute.retry", execute)
                    .handle(Exception.class)
                    .abortOn(TransportQueryException.class)
                    .abortIf((result, failure) -> failure instanceof TransportException transport && !transport.isRetryable())
                    .build());
        } // else jgql's own default, which the session runs on its fast path
        if (properties.isResubscribe()) {
            reconnect.resubscribe();
        }
        return reconnect.build();
    }

    private static boolean isDefaultExecute(JgqlProperties.Retry retry) {
        JgqlProperties.Retry defaults = new JgqlProperties.Execute().getRetry();
        return retry.getInitialDelay().equals(defaults.getInitialDelay()) && retry.getMaxDelay().equals(defaults.getMaxDelay())
                && retry.getMaxAttempts() == defaults.getMaxAttempts();
    }

    private static dev.failsafe.RetryPolicyBuilder<Object> backoff(String prefix, JgqlProperties.Retry retry) {
        if (retry.getMaxAttempts() == 0 || retry.getMaxAttempts() < -1) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".max-attempts", retry.getMaxAttempts(),
                    "must be at least 1, or -1 for no limit");
        }
        try {
            return Reconnect.backoff(retry.getInitialDelay(), retry.getMaxDelay()).withMaxAttempts(retry.getMaxAttempts());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".initial-delay", retry.getInitialDelay(),
                    "needs 0 < " + prefix + ".initial-delay <= " + prefix + ".max-delay (" + retry.getMaxDelay() + ")");
        }
    }

    /**
     * Since when the session is in its state, for the health indicator.
     *
     * @param clock the application's {@link Clock} bean if it has exactly one, else the system clock
     * @return the tracker, registered on the client as a listener
     */
    @Bean
    @ConditionalOnMissingBean
    public JgqlConnectionTracker jgqlConnectionTracker(ObjectProvider<Clock> clock) {
        return new JgqlConnectionTracker(clock.getIfUnique(Clock::systemUTC));
    }

    /**
     * The client: the transport, {@code jgql.subscription-url}, {@code jgql.execute-timeout}, {@code jgql.deadline},
     * {@code jgql.fail-fast}, the context's listeners and interceptors, then the customizers.
     *
     * @param transport     the transport
     * @param properties    the properties
     * @param listeners     the event listeners (metrics, the tracker, the application's)
     * @param interceptors  the interceptors (observations, the application's)
     * @param customizers   the customizers
     * @return the client; closed with the context
     */
    @Bean
    @ConditionalOnMissingBean
    public Client jgqlClient(Transport transport, JgqlProperties properties, ObjectProvider<ClientEventListener> listeners,
            ObjectProvider<GraphQLInterceptor> interceptors, ObjectProvider<JgqlClientBuilderCustomizer> customizers) {
        Client.Builder builder = Client.builder().transport(transport).executeTimeout(positive(
                "jgql.execute-timeout", properties.getExecuteTimeout()));
        URI subscriptionUrl = properties.getSubscriptionUrl();
        if (subscriptionUrl != null) {
            if (kind(TransportKind.AUTO, subscriptionUrl) != TransportKind.WS) {
                throw new InvalidConfigurationPropertyValueException("jgql.subscription-url", subscriptionUrl,
                        "the subscriptions' own endpoint is a WebSocket: ws:// or wss://");
            }
            builder.subscriptionTransport(transport("jgql.subscription-url", subscriptionUrl, TransportKind.WS, properties));
        }
        CallOptions.Builder defaults = CallOptions.builder().failFast(properties.isFailFast());
        if (properties.getDeadline() != null) {
            defaults.deadline(positive("jgql.deadline", properties.getDeadline()));
        }
        builder.defaultCallOptions(defaults.build());
        schema(builder, properties.getSchema());
        ClientEventListener listener = CompositeEventListener.of(listeners.orderedStream().toList());
        if (listener != null) {
            builder.eventListener(listener);
        }
        interceptors.orderedStream().forEach(builder::interceptor);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** {@code jgql.schema.location} (SDL, or introspection JSON by its .json name) and {@code jgql.schema.fetch-from-transport}. */
    private static void schema(Client.Builder builder, JgqlProperties.Schema schema) {
        org.springframework.core.io.Resource location = schema.getLocation();
        if (location != null && schema.isFetchFromTransport()) {
            throw new InvalidConfigurationPropertyValueException("jgql.schema.fetch-from-transport", true,
                    "give the schema with jgql.schema.location or fetch it from the transport, not both");
        }
        if (location != null) {
            String text;
            try (java.io.InputStream in = location.getInputStream()) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new InvalidConfigurationPropertyValueException("jgql.schema.location", location,
                        "cannot be read: " + e.getMessage());
            }
            String name = location.getFilename() == null ? "" : location.getFilename();
            try {
                builder.schema(name.endsWith(".json") ? dev.jgql.schema.Schema.fromIntrospectionJson(text)
                        : dev.jgql.schema.Schema.fromSdl(text));
            } catch (dev.jgql.GraphQLSchemaException e) {
                throw new InvalidConfigurationPropertyValueException("jgql.schema.location", location, e.getMessage());
            }
        }
        builder.fetchSchemaFromTransport(schema.isFetchFromTransport());
    }

    private static Duration positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationPropertyValueException(property, value, "must be a positive duration, e.g. 10s");
        }
        return value;
    }

    /**
     * The permanent session for the application's life: {@code jgql.connect.await-at-startup},
     * {@code jgql.connect.startup-timeout}, {@code jgql.shutdown-timeout}.
     *
     * @param client     the client
     * @param reconnect  the reconnect options
     * @param properties the properties
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public JgqlSessionLifecycle jgqlSessionLifecycle(Client client, Reconnect reconnect, JgqlProperties properties) {
        return new JgqlSessionLifecycle(client, reconnect, properties.getConnect().isAwaitAtStartup(),
                positive("jgql.connect.startup-timeout", properties.getConnect().getStartupTimeout()),
                positive("jgql.shutdown-timeout", properties.getShutdownTimeout()));
    }
}
