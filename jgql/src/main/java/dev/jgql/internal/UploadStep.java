package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.Upload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * File uploads, a step about requests: finds the {@link Upload}s in a call's variables, puts JSON
 * {@code null} in their places, and hands the transport the files and their paths
 * ({@link UploadParts}, as {@link CallAttributes#UPLOADS}) to send as a GraphQL multipart request. A call with an upload
 * that cannot be read twice is not retried; a missing file fails the call before anything is sent;
 * a transport that cannot carry uploads (a WebSocket) fails it with a message saying so.
 */
final class UploadStep implements GraphQLInterceptor {
    private final boolean transportTakesUploads;
    private final String transportName;

    UploadStep(boolean transportTakesUploads, String transportName) {
        this.transportTakesUploads = transportTakesUploads;
        this.transportName = transportName;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        Map<String, Object> variables = call.request().variables();
        if (!holdsUpload(variables)) {
            return chain.proceed(call); // every call passes here: no copy, no path strings
        }
        Map<Upload, List<String>> found = new IdentityHashMap<>();
        List<Upload> order = new ArrayList<>();
        Object replaced = replace(variables, "variables", found, order);
        GraphQLRequest request = call.request();
        if (!transportTakesUploads) {
            return CompletableFuture.failedFuture(new JgqlUsageException(request + " holds uploads " + order
                    + ", which go as GraphQL multipart requests over HTTP only; this client's transport is "
                    + transportName + ": send it through a client with an HttpTransport. Nothing was sent"));
        }
        boolean rereadable = true;
        List<List<String>> paths = new ArrayList<>(order.size());
        for (Upload upload : order) {
            Path path = upload.path().orElse(null);
            if (path != null && !Files.isReadable(path)) {
                return CompletableFuture.failedFuture(new JgqlUsageException("The file " + path + " to upload at "
                        + found.get(upload) + " of " + request + " does not exist or cannot be read; nothing was sent"));
            }
            rereadable &= upload.isRereadable();
            paths.add(List.copyOf(found.get(upload)));
        }
        @SuppressWarnings("unchecked")
        GraphQLCall multipart = call.withRequest(request.withVariables((Map<String, Object>) replaced))
                .withAttribute(CallAttributes.UPLOADS, new UploadParts(List.copyOf(order), List.copyOf(paths)));
        if (!rereadable) {
            // A stream that can be read once cannot be sent twice: the call gets one attempt.
            multipart = multipart.withOptions(multipart.options().toBuilder().retry(false).build());
        }
        return chain.proceed(multipart);
    }

    @Override
    public Flow.Publisher<ExecutionResult> interceptSubscription(GraphQLCall call, SubscriptionChain chain) {
        if (holdsUpload(call.request().variables())) {
            Map<Upload, List<String>> found = new IdentityHashMap<>();
            List<Upload> order = new ArrayList<>();
            replace(call.request().variables(), "variables", found, order);
            return FailedPublisher.of(new JgqlUsageException(call.request() + " holds uploads " + order
                    + ": uploads go with queries and mutations over HTTP only, never with a subscription"));
        }
        return chain.proceed(call);
    }

    /** Whether an upload is anywhere in the value; allocates nothing. */
    private static boolean holdsUpload(Object value) {
        if (value instanceof Upload) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Object entry : map.values()) {
                if (holdsUpload(entry)) {
                    return true;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                if (holdsUpload(item)) {
                    return true;
                }
            }
        } else if (value instanceof Object[] array) {
            for (Object item : array) {
                if (holdsUpload(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A copy of the value with each upload replaced by null, noting where each was (dotted paths, as the spec's map). */
    private static Object replace(Object value, String path, Map<Upload, List<String>> found, List<Upload> order) {
        if (value instanceof Upload upload) {
            found.computeIfAbsent(upload, first -> {
                order.add(first);
                return new ArrayList<>(1);
            }).add(path);
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = null;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object replaced = replace(entry.getValue(), path + "." + entry.getKey(), found, order);
                if (replaced != entry.getValue() && copy == null) {
                    copy = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> earlier : map.entrySet()) {
                        copy.put(String.valueOf(earlier.getKey()), earlier.getValue());
                    }
                }
                if (copy != null) {
                    copy.put(String.valueOf(entry.getKey()), replaced);
                }
            }
            return copy == null ? value : copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = null;
            for (int i = 0; i < list.size(); i++) {
                Object replaced = replace(list.get(i), path + "." + i, found, order);
                if (replaced != list.get(i) && copy == null) {
                    copy = new ArrayList<>(list);
                }
                if (copy != null) {
                    copy.set(i, replaced);
                }
            }
            return copy == null ? value : copy;
        }
        if (value instanceof Object[] array) {
            return replace(java.util.Arrays.asList(array), path, found, order);
        }
        return value;
    }
}
