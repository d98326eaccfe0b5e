package dev.jgql.transport.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.BatchingNotSupportedException;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportServerException;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.internal.CallAttributes;
import dev.jgql.transport.support.GraphQLJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A batch over HTTP: one POST whose body is a JSON array of requests, answered by a JSON array of
 * results in the same order (not in the GraphQL-over-HTTP specification; Apollo Server, Yoga and
 * Vert.x take it when enabled). An answer that is not an array means the server does not take
 * batches; an array of the wrong length breaks the protocol.
 */
final class HttpBatch {
    private HttpBatch() {
    }

    static CompletableFuture<ExecutionResult> send(HttpConnection connection, GraphQLCall batchCall, List<GraphQLCall> members) {
        HttpEngineRequest request;
        try {
            request = connection.post(batchCall, HttpEngineRequest.Body.ofBytes(write(connection.objectMapper(), members)),
                    connection.postHeaders());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof TransportException ? e
                    : new TransportException("Could not build the HTTP request for a batch of " + members.size()
                    + " requests: " + e.getMessage(), e));
        }
        return BodyExchange.send(connection, request,
                response -> CallAttributes.batchResult(read(connection, response, members.size())), () -> null);
    }

    private static byte[] write(ObjectMapper mapper, List<GraphQLCall> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * members.size());
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
            generator.setCodec(mapper);
            generator.writeStartArray();
            for (GraphQLCall member : members) {
                generator.writeStartObject();
                GraphQLJson.writeRequestFields(generator, member.request(), CallAttributes.withDocument(member));
                generator.writeEndObject();
            }
            generator.writeEndArray();
        } catch (IOException e) {
            throw new TransportException("Could not serialise the variables of a batch of " + members.size()
                    + " requests: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static List<ExecutionResult> read(HttpConnection connection, HttpEngineResponse response, int count) {
        int status = response.statusCode();
        byte[] body = response.body().orElse(new byte[0]);
        if (status >= 200 && status < 300 && startsArray(body)) {
            List<?> elements;
            try {
                elements = connection.objectMapper().readValue(body, List.class);
            } catch (JsonProcessingException e) {
                throw new TransportProtocolException("The answer from " + connection.where() + " to a batch of " + count
                        + " requests is not JSON (" + e.getOriginalMessage() + "); received: " + GraphQLJson.excerpt(body), e);
            } catch (IOException e) {
                throw new TransportProtocolException("The answer from " + connection.where() + " to a batch could not be read: "
                        + e.getMessage(), e);
            }
            if (elements.size() != count) {
                throw new TransportProtocolException("The answer from " + connection.where() + " to a batch of " + count
                        + " requests holds " + elements.size() + " results; a server must answer each request of a batch,"
                        + " in order");
            }
            List<ExecutionResult> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                if (!(elements.get(i) instanceof Map<?, ?> element)) {
                    throw new TransportProtocolException("Result " + i + " of the answer from " + connection.where()
                            + " to a batch is not a JSON object: " + elements.get(i));
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> json = (Map<String, Object>) element;
                results.add(GraphQLJson.toResult(json, () -> "Result " + index + " of the answer from " + connection.where()
                        + " to a batch").httpStatus(status).headers(response.headers()).build());
            }
            return results;
        }
        throw refused(connection, response, count);
    }

    /** Why an answer that is not an array means the batch was refused; a server that is down stays a server error. */
    private static TransportException refused(HttpConnection connection, HttpEngineResponse response, int count) {
        String advice = ": the server does not take batches. Enable batching on the server (Apollo Server: "
                + "allowBatchedHttpRequests, Yoga: batching, Vert.x: GraphQLHandlerOptions.setRequestBatchingEnabled) "
                + "or send the requests one by one";
        String start = "The server at " + connection.where() + " answered a batch of " + count + " requests with ";
        try {
            ExecutionResult single = connection.classifyWhole(response);
            String error = single.hasErrors() ? " (" + single.errors().get(0).message() + ")" : "";
            return new BatchingNotSupportedException(start + "HTTP " + response.statusCode() + " and a single result, not "
                    + "an array" + error + advice, null);
        } catch (TransportServerException server) {
            int status = server.statusCode();
            if (status >= 500 || status == 408 || status == 429) {
                return server; // down or overloaded: says nothing about batches, and may be retried
            }
            return new BatchingNotSupportedException(start + "HTTP " + status + " ("
                    + GraphQLJson.excerpt(response.body().orElse(new byte[0])) + ")" + advice, server);
        } catch (TransportProtocolException malformed) {
            return new BatchingNotSupportedException(start + "something that is neither an array nor a GraphQL "
                    + "result" + advice, malformed);
        }
    }

    private static boolean startsArray(byte[] body) {
        for (byte b : body) {
            if (b == '[') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
                return false;
            }
        }
        return false;
    }
}
