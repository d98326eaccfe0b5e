package dev.jgql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.AstPrinter;
import graphql.parser.Parser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client sends documents by reference instead of text: automatic persisted queries (Apollo's
 * protocol) or trusted documents from a manifest. Turn it on with
 * {@link Client.Builder#persistedQueries(PersistedQueries)}; it is off by default. Immutable.
 *
 * <p><b>Automatic persisted queries</b>: each query or mutation is first sent as the SHA-256 hash of
 * its document ({@code extensions.persistedQuery = {version: 1, sha256Hash}}, no {@code query});
 * when the server answers {@code PersistedQueryNotFound}, the same call is sent again with the
 * document, which the server then remembers (the operation had not run, so this is safe for a
 * mutation too). A server that answers {@code PersistedQueryNotSupported} turns the feature off
 * for that client, with one warning in the log. Queries may go as GET requests when hashed, so a
 * CDN can cache them ({@link #useGetForHashedQueries}).
 *
 * <p><b>Trusted documents</b> (safelisting): only an id from a manifest the server also has is
 * ever sent, never the text; a document that is not in the manifest fails without being sent, and
 * a server that does not know an id fails the call with a message saying so.
 *
 * <pre>{@code
 * Client apq = Client.builder().transport(http).persistedQueries(PersistedQueries.automatic()).build();
 * Client safelisted = Client.builder().transport(http)
 *     .persistedQueries(PersistedQueries.trustedManifest(Path.of("persisted-query-manifest.json")))
 *     .build();
 * }</pre>
 *
 * <p>Over a WebSocket the document always goes with the hash (the server may register it).
 */
public final class PersistedQueries {
    private final boolean getForHashedQueries;
    /** The trusted documents' ids by their compact printed form; null for automatic persisted queries. */
    private final Map<String, String> trustedIds;

    private PersistedQueries(boolean getForHashedQueries, Map<String, String> trustedIds) {
        this.getForHashedQueries = getForHashedQueries;
        this.trustedIds = trustedIds;
    }

    /**
     * Automatic persisted queries (hash first, the document when the server asks for it), sent as
     * POST unless {@link #useGetForHashedQueries} says otherwise.
     *
     * @return the setting
     */
    public static PersistedQueries automatic() {
        return new PersistedQueries(false, null);
    }

    /**
     * Trusted documents: the id of each document, as the server's manifest has them.
     *
     * <pre>{@code
     * PersistedQueries trusted = PersistedQueries.trusted(Map.of("3f1c…", "query Hello { hello }"));
     * }</pre>
     *
     * @param documentsById the document text of each id; a request's document matches one that
     *                      differs only in whitespace and commas
     * @return the setting
     * @throws IllegalArgumentException if a document does not parse, or two ids have the same document
     */
    public static PersistedQueries trusted(Map<String, String> documentsById) {
        Objects.requireNonNull(documentsById, "documentsById");
        Map<String, String> ids = new HashMap<>();
        documentsById.forEach((id, document) -> {
            if (id == null || id.isBlank() || document == null) {
                throw new IllegalArgumentException("A trusted document needs an id and a text: " + id);
            }
            String previous = ids.put(key(document, id), id);
            if (previous != null && !previous.equals(id)) {
                throw new IllegalArgumentException("The trusted documents " + previous + " and " + id + " are the same document");
            }
        });
        return new PersistedQueries(false, Collections.unmodifiableMap(ids));
    }

    /**
     * Trusted documents from a manifest file: Apollo's persisted query manifest
     * ({@code {"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}, …]}}) or a
     * plain JSON object of document text by id (Relay's and GraphQL Codegen's format).
     *
     * @param manifest the JSON file
     * @return the setting
     * @throws JgqlUsageException if the file cannot be read or is neither format
     */
    public static PersistedQueries trustedManifest(Path manifest) {
        Objects.requireNonNull(manifest, "manifest");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(manifest));
        } catch (IOException e) {
            throw new JgqlUsageException("Could not read the trusted documents manifest " + manifest + ": " + e);
        }
        Map<String, String> documents = new HashMap<>();
        if (root != null && root.has("operations") && root.get("operations").isArray()) {
            for (JsonNode operation : root.get("operations")) {
                if (!operation.path("id").isTextual() || !operation.path("body").isTextual()) {
                    throw new JgqlUsageException("The trusted documents manifest " + manifest
                            + " has an operation without a text id and body: " + operation);
                }
                documents.put(operation.get("id").asText(), operation.get("body").asText());
            }
        } else if (root != null && root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isTextual()) {
                    throw new JgqlUsageException("The trusted documents manifest " + manifest
                            + " is neither Apollo's manifest nor an object of document text by id: " + entry.getKey()
                            + " maps to " + entry.getValue().getNodeType());
                }
                documents.put(entry.getKey(), entry.getValue().asText());
            }
        } else {
            throw new JgqlUsageException("The trusted documents manifest " + manifest
                    + " is neither Apollo's manifest nor an object of document text by id");
        }
        try {
            return trusted(documents);
        } catch (IllegalArgumentException e) {
            throw new JgqlUsageException("The trusted documents manifest " + manifest + " is not usable: " + e.getMessage());
        }
    }

    /**
     * This setting with hashed queries sent as HTTP GET, so that CDNs and proxies can cache them;
     * a query whose hash the server does not know is sent again as POST with its document, as
     * is a query to a server that refuses GET. Mutations always go as POST. Default {@code false}.
     *
     * @param get whether hashed queries go as GET
     * @return the modified copy
     */
    public PersistedQueries useGetForHashedQueries(boolean get) {
        return new PersistedQueries(get, trustedIds);
    }

    /** @return whether hashed queries go as HTTP GET */
    public boolean getForHashedQueries() {
        return getForHashedQueries;
    }

    /** @return whether only ids of trusted documents are sent */
    public boolean isTrusted() {
        return trustedIds != null;
    }

    /**
     * The id of a trusted document.
     *
     * @param request the request
     * @return its id, or empty if it is not a trusted document (or this is not a trusted setting)
     */
    public Optional<String> trustedId(GraphQLRequest request) {
        if (trustedIds == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(trustedIds.get(AstPrinter.printAstCompact(request.parsedDocument())));
    }

    private static String key(String document, String id) {
        try {
            return AstPrinter.printAstCompact(Parser.parse(document));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The trusted document " + id + " does not parse: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return trustedIds == null ? "PersistedQueries{automatic" + (getForHashedQueries ? ", GET" : "") + '}'
                : "PersistedQueries{trusted, " + trustedIds.size() + " documents" + (getForHashedQueries ? ", GET" : "") + '}';
    }
}
