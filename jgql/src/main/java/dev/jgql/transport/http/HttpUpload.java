package dev.jgql.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.TransportException;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.internal.CallAttributes;
import dev.jgql.internal.UploadParts;
import dev.jgql.transport.support.GraphQLJson;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A GraphQL multipart request (file uploads): a POST of {@code multipart/form-data} streamed from
 * the files, with the CSRF preflight headers that Apollo Server and others require of such a
 * request ({@code Apollo-Require-Preflight}, {@code GraphQL-Preflight}; ignored elsewhere). The
 * answer is a GraphQL response as for any POST.
 */
final class HttpUpload {
    private HttpUpload() {
    }

    static CompletableFuture<ExecutionResult> send(HttpConnection connection, GraphQLCall call, UploadParts parts) {
        MultipartUploadBody body;
        HttpEngineRequest request;
        try {
            byte[] operations = GraphQLJson.writeRequest(connection.objectMapper(), call.request(),
                    CallAttributes.withDocument(call));
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (int i = 0; i < parts.files().size(); i++) {
                map.put(String.valueOf(i), parts.paths().get(i));
            }
            body = MultipartUploadBody.of(operations, connection.objectMapper().writeValueAsBytes(map), parts);
            request = connection.post(call, HttpEngineRequest.Body.ofPublisher(body, body.contentLength()),
                    headers(connection.postHeaders(), body.contentType()));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new TransportException("Could not serialise the multipart request of "
                    + call.request() + ": " + e.getOriginalMessage(), e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return BodyExchange.send(connection, request, connection::classifyWhole, body::sourceFailure);
    }

    /** The POST headers with the multipart type, and the preflight headers unless the application set its own. */
    private static HttpHeaders headers(HttpHeaders post, String contentType) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Apollo-Require-Preflight", List.of("true"));
        headers.put("GraphQL-Preflight", List.of("1"));
        headers.putAll(post.map());
        headers.put("Content-Type", List.of(contentType));
        return HttpHeaders.of(headers, (name, value) -> true);
    }
}
