package dev.jgql.schema;

import dev.jgql.GraphQLValidationException;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Builds GraphQL requests in Java, checked against a schema as they are built: the counterpart of
 * gql's {@code DSLSchema} and {@code dsl_gql}. Every type, field, argument, directive and variable
 * type is looked up in the schema when it is named; a name that does not exist, an argument value
 * of the wrong type, a selection below a leaf field or an object field without one fails at once
 * with a {@link GraphQLValidationException} that says what exists. The finished operation is
 * printed, parsed and validated as a whole, and {@link DslOperation#toRequest()} gives a normal
 * {@link dev.jgql.GraphQLRequest}.
 *
 * <pre>{@code
 * DslSchema ds = DslSchema.of(schema);
 * DslVariable code = ds.variable("code", "ID!");
 * GraphQLRequest request = ds.query("getContinent")
 *         .select(ds.field("Query", "continent").arg("code", code)
 *                 .select(ds.field("Continent", "name"),
 *                         ds.field("Continent", "countries").alias("c").select("code", "name")))
 *         .toRequest();
 * Map<String, Object> data = session.execute(request, Map.of("code", "EU"));
 * }</pre>
 *
 * <p>Every DSL value ({@link DslField}, {@link DslFragment}, {@link DslInlineFragment},
 * {@link DslVariable}, {@link DslOperation}) is immutable: each method returns a new value, so a
 * field built once can be reused in several operations. Variables used in arguments and directives
 * are declared on the operation automatically; named fragments used anywhere are added to the
 * document automatically. Immutable and thread-safe.
 */
public final class DslSchema {
    private final Schema schema;

    private DslSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * The DSL for a schema.
     *
     * @param schema the schema every name is checked against
     * @return the DSL
     */
    public static DslSchema of(Schema schema) {
        return new DslSchema(Objects.requireNonNull(schema, "schema"));
    }

    /** @return the schema this DSL checks against */
    public Schema schema() {
        return schema;
    }

    GraphQLSchema graphQLSchema() {
        return schema.graphQLSchema();
    }

    /**
     * A field of an object or interface type, with no alias, arguments or selection yet.
     * {@code "__typename"} is accepted on any type and is the same as {@link #typename()}.
     *
     * @param typeName  the object or interface type that has the field, e.g. {@code "Query"}
     * @param fieldName the field's name
     * @return the field
     * @throws GraphQLValidationException if the type does not exist, has no fields, or has no such
     *                                    field; the message lists what exists
     */
    public DslField field(String typeName, String fieldName) {
        Objects.requireNonNull(fieldName, "fieldName");
        GraphQLFieldsContainer type = fieldsContainer(typeName);
        if (DslField.TYPENAME.equals(fieldName)) {
            return typename();
        }
        GraphQLFieldDefinition definition = type.getFieldDefinition(fieldName);
        if (definition == null) {
            throw new GraphQLValidationException("Type " + typeName + " has no field '" + fieldName
                    + "'; its fields are: " + fieldNames(type));
        }
        return new DslField(this, type, definition);
    }

    /**
     * The {@code __typename} meta-field, which every object, interface and union has; it can be
     * aliased and can carry directives.
     *
     * @return the field
     */
    public DslField typename() {
        return new DslField(this, null, null);
    }

    /**
     * A variable, to use as an argument value; operations declare the variables they use.
     *
     * @param name the name without {@code $}
     * @param type its type in GraphQL syntax, e.g. {@code "ID!"} or {@code "[String!]"}; an input
     *             type of the schema (scalar, enum or input object)
     * @return the variable, without a default value
     * @throws GraphQLValidationException if the name is not a GraphQL name, or the type does not
     *                                    parse or is not an input type of the schema
     */
    public DslVariable variable(String name, String type) {
        return DslVariable.create(this, name, type);
    }

    /**
     * A named fragment on a type. Selecting it somewhere spreads it there
     * ({@code ...Name}) and adds its definition to the document.
     *
     * @param name   the fragment's name
     * @param onType the type condition: an object, interface or union type
     * @return the fragment, with no selection yet
     * @throws GraphQLValidationException if the name is not a GraphQL name or the type is not a
     *                                    composite type of the schema
     */
    public DslFragment fragment(String name, String onType) {
        return new DslFragment(this, DslSupport.checkName(name, "fragment name"), compositeType(onType));
    }

    /**
     * An inline fragment with a type condition ({@code ... on Type { ... }}), for fields of one
     * member of an interface or union.
     *
     * @param onType the type condition: an object, interface or union type
     * @return the inline fragment, with no selection yet
     * @throws GraphQLValidationException if the type is not a composite type of the schema
     */
    public DslInlineFragment inlineFragment(String onType) {
        return new DslInlineFragment(this, compositeType(onType));
    }

    /**
     * An inline fragment without a type condition ({@code ... @include(if: $x) { ... }}), to put
     * a directive on several fields at once. Its fields are checked against the type it is
     * selected on.
     *
     * @return the inline fragment, with no selection yet
     */
    public DslInlineFragment inlineFragment() {
        return new DslInlineFragment(this, null);
    }

    /**
     * An anonymous query.
     *
     * @return the operation, selecting nothing yet
     */
    public DslOperation query() {
        return operation(OperationDefinition.Operation.QUERY, null);
    }

    /**
     * A named query; the name is sent as the request's operation name.
     *
     * @param name the operation name
     * @return the operation, selecting nothing yet
     */
    public DslOperation query(String name) {
        return operation(OperationDefinition.Operation.QUERY, Objects.requireNonNull(name, "name"));
    }

    /**
     * A named mutation.
     *
     * @param name the operation name
     * @return the operation, selecting nothing yet
     * @throws GraphQLValidationException if the schema has no mutation type
     */
    public DslOperation mutation(String name) {
        return operation(OperationDefinition.Operation.MUTATION, Objects.requireNonNull(name, "name"));
    }

    /**
     * A named subscription.
     *
     * @param name the operation name
     * @return the operation, selecting nothing yet
     * @throws GraphQLValidationException if the schema has no subscription type
     */
    public DslOperation subscription(String name) {
        return operation(OperationDefinition.Operation.SUBSCRIPTION, Objects.requireNonNull(name, "name"));
    }

    private DslOperation operation(OperationDefinition.Operation kind, String name) {
        GraphQLSchema graphQL = graphQLSchema();
        GraphQLObjectType root = switch (kind) {
            case QUERY -> graphQL.getQueryType();
            case MUTATION -> graphQL.getMutationType();
            case SUBSCRIPTION -> graphQL.getSubscriptionType();
        };
        String kindName = kind.name().toLowerCase(java.util.Locale.ROOT);
        if (root == null) {
            throw new GraphQLValidationException("The schema has no " + kindName + " type, so it has no "
                    + kindName + "s; its root types are: " + rootTypes(graphQL));
        }
        return new DslOperation(this, kind, root, name == null ? null : DslSupport.checkName(name, "operation name"));
    }

    private static String rootTypes(GraphQLSchema schema) {
        StringBuilder roots = new StringBuilder("query ").append(schema.getQueryType().getName());
        if (schema.getMutationType() != null) {
            roots.append(", mutation ").append(schema.getMutationType().getName());
        }
        if (schema.getSubscriptionType() != null) {
            roots.append(", subscription ").append(schema.getSubscriptionType().getName());
        }
        return roots.toString();
    }

    // ------------------------------------------------------------------ lookups shared by the DSL values

    GraphQLFieldsContainer fieldsContainer(String typeName) {
        GraphQLNamedType type = namedType(typeName);
        if (!(type instanceof GraphQLFieldsContainer container)) {
            throw new GraphQLValidationException("Type " + typeName + " is " + DslSupport.kind(type)
                    + ", which has no fields; the types with fields are: "
                    + typeNames(candidate -> candidate instanceof GraphQLFieldsContainer));
        }
        return container;
    }

    GraphQLCompositeType compositeType(String typeName) {
        GraphQLNamedType type = namedType(typeName);
        if (!(type instanceof GraphQLCompositeType composite)) {
            throw new GraphQLValidationException("Type " + typeName + " is " + DslSupport.kind(type)
                    + ", not an object, interface or union; those are: "
                    + typeNames(candidate -> candidate instanceof GraphQLCompositeType));
        }
        return composite;
    }

    GraphQLInputType inputType(String typeName) {
        GraphQLNamedType type = namedType(typeName);
        if (!(type instanceof GraphQLInputType input)) {
            throw new GraphQLValidationException("Type " + typeName + " is " + DslSupport.kind(type)
                    + ", not an input type (scalar, enum or input object); those are: "
                    + typeNames(candidate -> candidate instanceof GraphQLInputType));
        }
        return input;
    }

    private GraphQLNamedType namedType(String typeName) {
        Objects.requireNonNull(typeName, "typeName");
        GraphQLType type = graphQLSchema().getType(typeName);
        if (type == null) {
            throw new GraphQLValidationException("The schema has no type '" + typeName + "'; its types are: "
                    + typeNames(candidate -> true));
        }
        return (GraphQLNamedType) type;
    }

    /** The schema's own types that match, sorted, without the introspection types. */
    private String typeNames(Predicate<GraphQLNamedType> matching) {
        return graphQLSchema().getAllTypesAsList().stream()
                .filter(type -> !type.getName().startsWith("__"))
                .filter(matching)
                .map(GraphQLNamedType::getName)
                .sorted()
                .collect(Collectors.joining(", "));
    }

    static String fieldNames(GraphQLFieldsContainer type) {
        return type.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName)
                .collect(Collectors.joining(", ")) + " (and __typename)";
    }

    @Override
    public String toString() {
        return "DslSchema{" + schema + '}';
    }
}
