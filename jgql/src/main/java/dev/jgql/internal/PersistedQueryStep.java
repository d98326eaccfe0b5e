package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.JgqlUsageException;
import dev.jgql.OperationType;
import dev.jgql.PersistedQueries;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Persisted queries, a step about requests (see {@link PersistedQueries}): sends the hash (or the
 * trusted id) of a document instead of its text, and the text once more when the server asks for
 * it. One per client, so what it learns (which documents the server knows, whether it supports
 * persisted queries at all) holds for every session of the client.
 */
public final class PersistedQueryStep implements GraphQLInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(PersistedQueryStep.class);
    /** How many documents' hashes (and ids) are remembered; an application has a fixed set of documents. */
    private static final int REMEMBERED = 1024;

    private final PersistedQueries settings;
    /** The hash, or trusted id (empty when untrusted), of each document text seen lately. */
    private final Map<String, Optional<String>> references = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
            return size() > REMEMBERED;
        }
    };
    /** Hashes the server has confirmed it knows; a document it forgets again (a restart) is simply sent again. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean unsupported = new AtomicBoolean();

    public PersistedQueryStep(PersistedQueries settings) {
        this.settings = settings;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        if (settings.isTrusted()) {
            return trusted(call, chain);
        }
        if (unsupported.get() || call.attributes().containsKey(CallAttributes.UPLOADS)) {
            // A multipart call goes whole: the document is small beside its files, which a retry would send again.
            return chain.proceed(call);
        }
        GraphQLRequest request = call.request();
        String hash = reference(request.document(), document -> Optional.of(sha256(document))).orElseThrow();
        GraphQLCall hashed = byReference(call, hash);
        return compose(chain.proceed(hashed), result -> {
            if (says(result, "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")) {
                if (unsupported.compareAndSet(false, true)) {
                    LOG.warn("The server does not support persisted queries (PersistedQueryNotSupported): "
                            + "this client sends every document in full from now on; turn persistedQueries off for it");
                }
                return chain.proceed(call);
            }
            if (says(result, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")) {
                if (known.remove(hash)) {
                    LOG.debug("The server forgot the persisted query {} (restarted?); sending its document again", hash);
                }
                // The server did not run the operation: sending it again, with its text, is safe even for a mutation.
                GraphQLCall full = call.withRequest(request.withExtensions(persistedQuery(request, hash)));
                return chain.proceed(full).thenApply(answer -> checked(answer, request, hash));
            }
            return CompletableFuture.completedFuture(checked(result, request, hash));
        });
    }

    private ExecutionResult checked(ExecutionResult result, GraphQLRequest request, String hash) {
        if (says(result, "PersistedQueryIdInvalid", "PERSISTED_QUERY_ID_INVALID")
                || says(result, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")) {
            throw new TransportProtocolException("The server refused the SHA-256 hash " + hash + " of " + request
                    + " (" + result.errors().get(0).message() + ") although the document was sent with it: the hash "
                    + "does not match the document as the server received it (an interceptor or proxy changed one of "
                    + "them?), or the server hashes differently", new TransportQueryException(result));
        }
        if (!says(result, "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")) {
            known.add(hash);
        }
        return result;
    }

    private CompletableFuture<ExecutionResult> trusted(GraphQLCall call, Chain chain) {
        GraphQLRequest request = call.request();
        Optional<String> id = reference(request.document(), document -> settings.trustedId(request));
        if (id.isEmpty()) {
            return CompletableFuture.failedFuture(new JgqlUsageException(request + " is not one of the trusted "
                    + "documents of this client's manifest, so it was not sent: add it to the manifest (and the "
                    + "server's), or use a client without trusted documents"));
        }
        return chain.proceed(byReference(call, id.get())).thenApply(result -> {
            if (says(result, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")) {
                throw new JgqlException("The server does not know the trusted document " + id.get() + " (" + request
                        + "): give the server the same manifest as the client. Its text was not sent, as trusted "
                        + "documents never are", new TransportQueryException(result));
            }
            if (says(result, "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")) {
                throw new JgqlException("The server does not support persisted documents, so it cannot run the "
                        + "trusted document " + id.get() + " (" + request + ")", new TransportQueryException(result));
            }
            return result;
        });
    }

    /** The call with the document's reference in its extensions and without its text (as a GET, if asked and a query). */
    private GraphQLCall byReference(GraphQLCall call, String reference) {
        GraphQLRequest request = call.request();
        GraphQLCall hashed = call.withRequest(request.withExtensions(persistedQuery(request, reference)))
                .withAttribute(CallAttributes.WITHOUT_DOCUMENT, Boolean.TRUE);
        if (settings.getForHashedQueries() && request.operationType() == OperationType.QUERY) {
            hashed = hashed.withAttribute(CallAttributes.HTTP_GET, Boolean.TRUE);
        }
        return hashed;
    }

    private static Map<String, Object> persistedQuery(GraphQLRequest request, String reference) {
        Map<String, Object> extensions = new HashMap<>(request.extensions());
        extensions.put("persistedQuery", Map.of("version", 1, "sha256Hash", reference));
        return extensions;
    }

    private Optional<String> reference(String document, Function<String, Optional<String>> compute) {
        synchronized (references) {
            Optional<String> cached = references.get(document);
            if (cached != null) {
                return cached;
            }
        }
        Optional<String> computed = compute.apply(document);
        synchronized (references) {
            references.put(document, computed);
        }
        return computed;
    }

    /** Whether the server's answer is this persisted-query error (Apollo's code, or graphql-java's and Apollo's message). */
    private static boolean says(ExecutionResult result, String message, String code) {
        if (!result.hasErrors() || result.isDataPresent() && result.data() != null && !result.data().isEmpty()) {
            return false;
        }
        for (GraphQLError error : result.errors()) {
            Object errorCode = error.extensions().get("code");
            Object classification = error.extensions().get("classification");
            if (message.equals(error.message()) || code.equals(errorCode) || message.equals(classification)) {
                return true;
            }
        }
        return false;
    }

    static String sha256(String document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /**
     * {@code first.thenCompose(next)} whose cancellation reaches the request on the wire, whichever
     * of the two is running.
     */
    private static CompletableFuture<ExecutionResult> compose(CompletableFuture<ExecutionResult> first,
            Function<ExecutionResult, CompletableFuture<ExecutionResult>> next) {
        CompletableFuture<CompletableFuture<ExecutionResult>> running = new CompletableFuture<>();
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                first.cancel(mayInterruptIfRunning);
                running.thenAccept(second -> second.cancel(mayInterruptIfRunning));
                return cancelled;
            }
        };
        first.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(Futures.unwrap(failure));
                return;
            }
            CompletableFuture<ExecutionResult> second;
            try {
                second = next.apply(value);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            running.complete(second);
            if (result.isCancelled()) {
                second.cancel(true);
            }
            second.whenComplete((answer, secondFailure) -> {
                if (secondFailure != null) {
                    result.completeExceptionally(Futures.unwrap(secondFailure));
                } else {
                    result.complete(answer);
                }
            });
        });
        return result;
    }
}
