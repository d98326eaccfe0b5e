package dev.jgql;

import graphql.language.Document;
import graphql.language.OperationDefinition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed GraphQL request: the document, the operation to run, its variables and extensions.
 * Immutable and thread-safe: build it once with {@link Gql#gql(String)} and share it; the
 * {@code with…} methods return new requests that reuse the parsed document, so the text is never
 * parsed again.
 *
 * <pre>{@code
 * GraphQLRequest query = Gql.gql("""
 *     query getContinentName($code: ID!) { continent(code: $code) { name } }""");
 * GraphQLRequest europe = query.withVariables(Map.of("code", "EU"));
 * }</pre>
 *
 * <p>Variables are sent as given; values may be anything Jackson can serialise. A {@code null}
 * value is sent as JSON {@code null}.
 */
public final class GraphQLRequest {
    private final String document;
    private final Document parsed;
    private final String operationName;
    private final OperationType operationType;
    private final String selectedName;
    private final Map<String, Object> variables;
    private final Map<String, Object> extensions;

    private GraphQLRequest(String document, Document parsed, String operationName, OperationDefinition selected,
            Map<String, Object> variables, Map<String, Object> extensions) {
        this(document, parsed, operationName, typeOf(selected), selected.getName(), variables, extensions);
    }

    private GraphQLRequest(String document, Document parsed, String operationName, OperationType operationType,
            String selectedName, Map<String, Object> variables, Map<String, Object> extensions) {
        this.document = document;
        this.parsed = parsed;
        this.operationName = operationName;
        this.operationType = operationType;
        this.selectedName = selectedName;
        this.variables = variables;
        this.extensions = extensions;
    }

    static GraphQLRequest of(String document, Document parsed, String operationName) {
        return new GraphQLRequest(document, parsed, operationName, selectOperation(parsed, operationName),
                Map.of(), Map.of());
    }

    private static OperationDefinition selectOperation(Document parsed, String operationName) {
        List<OperationDefinition> operations = parsed.getDefinitionsOfType(OperationDefinition.class);
        if (operations.isEmpty()) {
            throw new GraphQLValidationException("The document contains no operation (only fragments?): "
                    + "add a query, mutation or subscription.");
        }
        OperationDefinition selected;
        if (operationName == null) {
            if (operations.size() > 1) {
                throw new GraphQLValidationException("The document contains " + operations.size()
                        + " operations " + names(operations)
                        + ": name the one to run with Gql.gql(document, operationName).");
            }
            selected = operations.get(0);
        } else {
            selected = operations.stream()
                    .filter(operation -> operationName.equals(operation.getName()))
                    .findFirst()
                    .orElseThrow(() -> new GraphQLValidationException("The document has no operation named '"
                            + operationName + "'; it has " + names(operations) + "."));
        }
        return selected;
    }

    private static OperationType typeOf(OperationDefinition operation) {
        return switch (operation.getOperation()) {
            case QUERY -> OperationType.QUERY;
            case MUTATION -> OperationType.MUTATION;
            case SUBSCRIPTION -> OperationType.SUBSCRIPTION;
        };
    }

    private static String names(List<OperationDefinition> operations) {
        return operations.stream()
                .map(operation -> operation.getName() == null ? "(anonymous)" : operation.getName())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The document text, exactly as given to {@link Gql#gql(String)}. */
    public String document() {
        return document;
    }

    /**
     * The parsed document: graphql-java's immutable syntax tree, shared by every request made from
     * the same {@link Gql#gql} call. For tools that work on the document (validation, printing).
     */
    public Document parsedDocument() {
        return parsed;
    }

    /** The operation name given for this request, if one was given. */
    public Optional<String> operationName() {
        return Optional.ofNullable(operationName);
    }

    /**
     * The name of the operation this request runs, from the document: the one named with
     * {@link Gql#gql(String, String)} or the document's only operation. Empty for an anonymous
     * operation. What logs and metrics call the operation; unlike {@link #operationName()} it is
     * not sent unless it was given.
     */
    public Optional<String> selectedOperationName() {
        return Optional.ofNullable(selectedName);
    }

    /** Whether the selected operation is a query, a mutation or a subscription. */
    public OperationType operationType() {
        return operationType;
    }

    /** The variables; empty when none were given. Read-only. */
    public Map<String, Object> variables() {
        return variables;
    }

    /** The request extensions (persisted query hashes, vendor fields); empty by default. Read-only. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** A copy of this request with these variables instead of the current ones. */
    public GraphQLRequest withVariables(Map<String, ?> variables) {
        return new GraphQLRequest(document, parsed, operationName, operationType, selectedName, copy(variables), extensions);
    }

    /** A copy of this request with these extensions instead of the current ones. */
    public GraphQLRequest withExtensions(Map<String, ?> extensions) {
        return new GraphQLRequest(document, parsed, operationName, operationType, selectedName, variables, copy(extensions));
    }

    /**
     * A copy of this request that runs the named operation of the same document.
     *
     * @throws GraphQLValidationException if the document has no operation of that name
     */
    public GraphQLRequest withOperationName(String operationName) {
        Objects.requireNonNull(operationName, "operationName");
        return new GraphQLRequest(document, parsed, operationName, selectOperation(parsed, operationName),
                variables, extensions);
    }

    private static Map<String, Object> copy(Map<String, ?> map) {
        // LinkedHashMap rather than Map.copyOf: null variable values are legal GraphQL.
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    public String toString() {
        // Variables are left out on purpose: they may hold secrets.
        return "GraphQLRequest{" + operationType.name().toLowerCase(java.util.Locale.ROOT)
                + (selectedName == null ? "" : " " + selectedName)
                + (variables.isEmpty() ? "" : ", variables=" + variables.keySet()) + '}';
    }
}
