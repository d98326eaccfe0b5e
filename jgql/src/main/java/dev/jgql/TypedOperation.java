package dev.jgql;

/**
 * An operation that knows the Java type of its data: what {@code jgql-maven-plugin} generates for
 * each operation of your {@code .graphql} files, and what you can write by hand. Sessions run it
 * like its {@link #request()} and hand back {@link #data(ExecutionResult)}.
 *
 * <pre>{@code
 * record Continent(String code, String name) { }
 * record Data(Continent continent) { }
 * TypedOperation<Data> europe = TypedOperation.of(
 *     Gql.gql("query getContinent($code: ID!) { continent(code: $code) { code name } }")
 *         .withVariables(Map.of("code", "EU")),
 *     Data.class);
 * Data data = session.execute(europe);
 * }</pre>
 *
 * @param <D> the Java type of the operation's {@code data}
 */
public interface TypedOperation<D> {

    /** @return the request: document, operation name and variables */
    GraphQLRequest request();

    /**
     * Builds the typed data from an answer without GraphQL errors. Default: the whole data mapped
     * with Jackson and the client's mapper, {@code result.toEntity(dataType())}.
     *
     * @param result the answer
     * @return the data
     * @throws ResultMappingException if the data does not fit the type
     */
    default D data(ExecutionResult result) {
        return result.toEntity(dataType());
    }

    /** @return the Java type of the data */
    Class<D> dataType();

    /**
     * A typed operation from a request and a type Jackson can build from its data.
     *
     * @param request  the request
     * @param dataType the data's Java type (a record or POJO)
     * @param <D>      that type
     * @return the operation
     */
    static <D> TypedOperation<D> of(GraphQLRequest request, Class<D> dataType) {
        java.util.Objects.requireNonNull(request, "request");
        java.util.Objects.requireNonNull(dataType, "dataType");
        return new TypedOperation<>() {
            @Override
            public GraphQLRequest request() {
                return request;
            }

            @Override
            public Class<D> dataType() {
                return dataType;
            }

            @Override
            public String toString() {
                return "TypedOperation{" + request + " -> " + dataType.getSimpleName() + '}';
            }
        };
    }
}
