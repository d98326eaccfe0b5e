package dev.jgql.schema;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.GraphQLSchemaException;
import dev.jgql.GraphQLValidationException;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.language.SourceLocation;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.validation.ValidationError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GraphQL schema the client knows: from SDL text, from an introspection result, from a
 * graphql-java {@link GraphQLSchema}, or fetched from the server
 * ({@code Client.Builder.fetchSchemaFromTransport}). With one, every request is validated before
 * anything is sent, custom scalars are serialised and parsed, and the DSL can build requests.
 * Immutable and thread-safe; validation results are cached per parsed document, so a request
 * that is sent again is not validated again.
 *
 * <pre>{@code
 * Schema schema = Schema.fromSdl("""
 *     type Query { continent(code: ID!): Continent }
 *     type Continent { code: ID! name: String! }""");
 * schema.validate(Gql.gql("{ continent(code: \"EU\") { nam } }")); // GraphQLValidationException
 * System.out.println(schema.toSdl());
 * }</pre>
 */
public final class Schema {
    /** Bounds the validation cache: documents built anew for every call must not fill memory. */
    private static final int MAX_CACHED_DOCUMENTS = 4096;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final java.util.regex.Pattern VALIDATION_PREFIX = java.util.regex.Pattern.compile("^Validation error \\([^)]*\\)\\s*:\\s*");

    private final GraphQLSchema graphQLSchema;
    private final Map<Document, List<GraphQLError>> validated = new ConcurrentHashMap<>();

    private Schema(GraphQLSchema graphQLSchema) {
        this.graphQLSchema = graphQLSchema;
    }

    /**
     * A schema from its SDL text. Custom scalars declared in it ({@code scalar DateTime}) are
     * known by name; their Java types come from the client's {@link Scalars}.
     *
     * @throws GraphQLSchemaException if the text does not parse or is not a valid schema
     */
    public static Schema fromSdl(String sdl) {
        Objects.requireNonNull(sdl, "sdl");
        TypeDefinitionRegistry registry;
        try {
            registry = new SchemaParser().parse(sdl);
        } catch (RuntimeException e) {
            throw new GraphQLSchemaException("The schema's SDL does not parse: " + e.getMessage(), e);
        }
        return build(registry, "SDL");
    }

    /**
     * A schema from the result of an introspection query: either the whole response's
     * {@code data} ({@code {"__schema": ...}}) or the response itself ({@code {"data": {"__schema": ...}}}).
     *
     * @throws GraphQLSchemaException if it holds no {@code __schema}, or a type it refers to is missing
     */
    @SuppressWarnings("unchecked")
    public static Schema fromIntrospection(Map<String, ?> introspection) {
        Objects.requireNonNull(introspection, "introspection");
        Map<String, Object> data = (Map<String, Object>) introspection;
        if (!data.containsKey("__schema") && data.get("data") instanceof Map<?, ?> inner) {
            data = (Map<String, Object>) inner;
        }
        if (!(data.get("__schema") instanceof Map<?, ?>)) {
            throw new GraphQLSchemaException("The introspection result has no __schema object (it has "
                    + data.keySet() + "): pass the data of an introspection query");
        }
        Document document;
        try {
            document = new IntrospectionResultToSchema().createSchemaDefinition(data);
        } catch (RuntimeException e) {
            throw new GraphQLSchemaException("The introspection result is not a complete schema: " + e.getMessage(), e);
        }
        TypeDefinitionRegistry registry;
        try {
            registry = new SchemaParser().buildRegistry(document);
        } catch (RuntimeException e) {
            throw new GraphQLSchemaException("The introspection result is not a valid schema: " + e.getMessage(), e);
        }
        return build(registry, "introspection result");
    }

    /**
     * A schema from an introspection result as JSON text (what {@code get-schema} tools save).
     *
     * @throws GraphQLSchemaException if it is not JSON, or not a complete introspection result
     */
    public static Schema fromIntrospectionJson(String json) {
        Objects.requireNonNull(json, "json");
        Map<String, Object> parsed;
        try {
            parsed = new ObjectMapper().readValue(json, OBJECT);
        } catch (Exception e) {
            throw new GraphQLSchemaException("The introspection result is not a JSON object: " + e.getMessage(), e);
        }
        return fromIntrospection(parsed);
    }

    /** A schema from a graphql-java schema, e.g. the server's own in a test. */
    public static Schema of(GraphQLSchema graphQLSchema) {
        return new Schema(Objects.requireNonNull(graphQLSchema, "graphQLSchema"));
    }

    private static Schema build(TypeDefinitionRegistry registry, String source) {
        try {
            return new Schema(UnExecutableSchemaGenerator.makeUnExecutableSchema(registry));
        } catch (RuntimeException e) {
            throw new GraphQLSchemaException("The schema from the " + source + " is not valid: " + e.getMessage(), e);
        }
    }

    /** @return the graphql-java schema, for what jgql does not wrap (printing options, type lookups) */
    public GraphQLSchema graphQLSchema() {
        return graphQLSchema;
    }

    /** @return the schema as SDL text, with descriptions and without the built-in scalars */
    public String toSdl() {
        return new SchemaPrinter(SchemaPrinter.Options.defaultOptions()
                .includeScalarTypes(true)
                .includeSchemaDefinition(false)
                .includeDirectives(directive -> !isBuiltIn(directive)))
                .print(graphQLSchema);
    }

    private static boolean isBuiltIn(String directive) {
        return switch (directive) {
            case "skip", "include", "deprecated", "specifiedBy", "oneOf", "defer", "experimental_disableErrorPropagation" -> true;
            default -> false;
        };
    }

    /**
     * The problems of the request's document against this schema; empty when it is valid.
     * Cached per parsed document: requests made from one {@link dev.jgql.Gql#gql} call (with any
     * variables) are validated once.
     */
    public List<GraphQLError> validationErrors(GraphQLRequest request) {
        Document document = request.parsedDocument();
        List<GraphQLError> errors = validated.get(document);
        if (errors == null) {
            errors = validate(document);
            if (validated.size() >= MAX_CACHED_DOCUMENTS) {
                validated.clear();
            }
            validated.put(document, errors);
        }
        return errors;
    }

    /**
     * Checks the request's document against this schema.
     *
     * @throws GraphQLValidationException with every problem, its message, line and column
     */
    public void validate(GraphQLRequest request) {
        List<GraphQLError> errors = validationErrors(request);
        if (!errors.isEmpty()) {
            throw new GraphQLValidationException(request, errors);
        }
    }

    private List<GraphQLError> validate(Document document) {
        List<ValidationError> found = graphql.ParseAndValidate.validate(graphQLSchema, document, Locale.ENGLISH);
        if (found.isEmpty()) {
            return List.of();
        }
        List<GraphQLError> errors = new ArrayList<>(found.size());
        for (ValidationError error : found) {
            List<GraphQLError.Location> locations = new ArrayList<>();
            if (error.getLocations() != null) {
                for (SourceLocation location : error.getLocations()) {
                    locations.add(new GraphQLError.Location(location.getLine(), location.getColumn()));
                }
            }
            // graphql-java prefixes its message with "Validation error (Kind@[path]) : ": the kind goes to the extensions.
            String message = error.getDescription() == null ? error.getMessage() : error.getDescription();
            errors.add(new GraphQLError(VALIDATION_PREFIX.matcher(message).replaceFirst(""),
                    locations, List.of(), Map.of("classification", String.valueOf(error.getValidationErrorType()))));
        }
        return List.copyOf(errors);
    }

    @Override
    public String toString() {
        return "Schema{query=" + graphQLSchema.getQueryType().getName()
                + (graphQLSchema.getMutationType() == null ? "" : ", mutation=" + graphQLSchema.getMutationType().getName())
                + (graphQLSchema.getSubscriptionType() == null ? "" : ", subscription=" + graphQLSchema.getSubscriptionType().getName())
                + ", types=" + graphQLSchema.getAllTypesAsList().size() + '}';
    }
}
