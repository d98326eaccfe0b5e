package dev.jgql.transport.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ExecutionResult;
import dev.jgql.JgqlException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportServerException;
import dev.jgql.engine.ResponseTooLargeException;
import dev.jgql.internal.TransportFailures;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The GraphQL-over-HTTP classification of responses and engine failures, shared by the transports
 * that speak HTTP (plain HTTP, server-sent events, multipart): a GraphQL body is a result whatever
 * its status (errors included); any other body with an error status is a
 * {@link TransportServerException} (status, excerpt, {@code Retry-After}); a malformed 2xx body is
 * a {@link TransportProtocolException}; an engine failure is a
 * {@link TransportConnectionFailedException} that says whether the request may have been sent.
 *
 * <pre>{@code
 * HttpResponses responses = new HttpResponses(mapper, clock, "http://host/graphql");
 * ExecutionResult result = responses.classify(status, headers, body);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpResponses {
    private static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    private static final byte[] NO_BODY = new byte[0];

    private final ObjectMapper mapper;
    private final Clock clock;
    private final String where;

    /**
     * @param mapper parses bodies
     * @param clock  reads {@code Retry-After} dates
     * @param where  the endpoint as messages show it, without credentials
     */
    public HttpResponses(ObjectMapper mapper, Clock clock, String where) {
        this.mapper = mapper;
        this.clock = clock;
        this.where = where;
    }

    /**
     * Classifies a whole response.
     *
     * @param body the body, or null for none
     * @return the GraphQL result, possibly with errors
     * @throws TransportServerException   for a non-GraphQL error response
     * @throws TransportProtocolException for a malformed success response
     */
    public ExecutionResult classify(int status, HttpHeaders headers, byte[] body) {
        byte[] bytes = body == null ? NO_BODY : body;
        String mediaType = mediaType(headers);
        boolean success = status >= 200 && status < 300;
        boolean graphqlResponseType = mediaType.equals(GRAPHQL_RESPONSE_JSON);
        boolean json = graphqlResponseType || mediaType.equals("application/json") || mediaType.endsWith("+json");

        if (bytes.length == 0) {
            if (success) {
                throw new TransportProtocolException(what(status) + " has an empty body; a GraphQL response was expected");
            }
            throw serverError(status, bytes, headers, mediaType);
        }
        // A graphql-response+json body is a GraphQL response whatever the status; a 2xx one is too,
        // when labelled JSON or not labelled at all.
        if (graphqlResponseType || success && (json || mediaType.isEmpty())) {
            return toResult(status, bytes, headers);
        }
        if (success) {
            throw new TransportProtocolException(what(status) + " has Content-Type '" + mediaType
                    + "', not a GraphQL JSON response; received: " + GraphQLJson.excerpt(bytes));
        }
        if (json) {
            // A non-2xx JSON body may be a GraphQL request error, or a proxy's own JSON.
            try {
                ExecutionResult result = toResult(status, bytes, headers);
                if (result.hasErrors()) {
                    return result;
                }
            } catch (TransportProtocolException notGraphQL) {
                // fall through: report the status, which says more than the parse failure
            }
        }
        throw serverError(status, bytes, headers, mediaType);
    }

    private ExecutionResult toResult(int status, byte[] body, HttpHeaders headers) {
        Supplier<String> what = () -> what(status); // built only for an error message
        Map<String, Object> parsed = GraphQLJson.readObject(mapper, body, 0, body.length, what);
        return GraphQLJson.toResult(parsed, what).httpStatus(status).headers(headers).build();
    }

    /** The subject of error messages about a response with this status. */
    public String what(int status) {
        return "The HTTP " + status + " response from " + where;
    }

    private TransportServerException serverError(int status, byte[] body, HttpHeaders headers, String mediaType) {
        Duration retryAfter = retryAfter(headers);
        StringBuilder message = new StringBuilder("HTTP ").append(status).append(" from ")
                .append(where).append(", not a GraphQL response");
        if (!mediaType.isEmpty()) {
            message.append(" (").append(mediaType).append(')');
        }
        message.append(": ").append(TransportFailures.statusHint(status, retryAfter)).append(". Body: ")
                .append(GraphQLJson.excerpt(body));
        return new TransportServerException(message.toString(), status, body.length == 0 ? "" : GraphQLJson.excerpt(body),
                retryAfter, headers.map());
    }

    private Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").map(String::trim).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(clock.instant(), when);
                return delay.isNegative() ? Duration.ZERO : delay;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** The media type of a response, lower case, without parameters; empty when it has none. */
    public static String mediaType(HttpHeaders headers) {
        // The map's keys compare case-insensitively; firstValue would go through a stream for the same.
        List<String> values = headers.map().get("Content-Type");
        String contentType = values == null || values.isEmpty() ? "" : values.get(0);
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * An engine's failure (see {@link dev.jgql.engine.HttpEngine}) as a transport exception: jgql's
     * own exceptions and cancellations as they are; a refused connection as "not sent"; anything
     * later as "may have reached the server".
     *
     * @param failure        the engine's failure, unwrapped
     * @param connectTimeout the engine's connect timeout, for the message
     * @param requestTimeout the request's own timeout, or null
     */
    public RuntimeException asTransportException(Throwable failure, Duration connectTimeout, Duration requestTimeout) {
        if (failure instanceof JgqlException || failure instanceof CancellationException) {
            return (RuntimeException) failure;
        }
        if (failure instanceof IllegalArgumentException invalid) {
            // the engine refused to build the request, e.g. a header it does not let applications set
            return new TransportException("The HTTP request to " + where + " could not be built (" + invalid.getMessage()
                    + "); nothing was sent", invalid);
        }
        ResponseTooLargeException tooLarge = causeOfType(failure, ResponseTooLargeException.class);
        if (tooLarge != null) {
            return new TransportProtocolException("The response from " + where + " is larger than maxResponseSize ("
                    + tooLarge.limit() + " bytes); it was not read and the connection was closed. Raise "
                    + "HttpTransport.Builder.maxResponseSize or ask for less data", failure);
        }
        return switch (TransportFailures.stage(failure)) {
            case CONNECT -> new TransportConnectionFailedException(TransportFailures.connectFailure(failure, where,
                    connectTimeout, "the request was not sent"), false, failure);
            case TIMEOUT -> new TransportConnectionFailedException("No response from " + where
                    + (requestTimeout == null ? " within the request timeout"
                            : " within the request timeout of " + requestTimeout.toMillis() + " ms")
                    + "; the request may have been applied", true, failure);
            case EXCHANGE -> new TransportConnectionFailedException("The connection to " + where
                    + " failed during the exchange (" + TransportFailures.describe(failure)
                    + "); the request may have reached the server", true, failure);
        };
    }

    /** Engines may wrap their failures (the JDK's send does, as a cause): look down the causes. */
    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
