package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.ResultMappingException;
import dev.jgql.schema.ScalarCodec;
import dev.jgql.schema.Scalars;
import dev.jgql.schema.Schema;
import dev.jgql.transport.support.GraphQLJson;
import graphql.execution.TypeFromAST;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Custom scalars and enums of one schema: serialises variables and parses answers with the
 * client's {@link Scalars}, by walking the operation's selections against the schema and the data
 * together (aliases, named and inline fragments, abstract types by {@code __typename}, lists,
 * nulls), as gql's {@code parse_result} does. Whether an operation touches a registered type at
 * all is worked out once per document and operation; one that does not costs a map lookup.
 */
final class SchemaCoding {
    private static final int MAX_CACHED_PLANS = 4096;

    private final Schema schema;
    private final GraphQLSchema graphQLSchema;
    private final Scalars scalars;
    private final Map<PlanKey, Plan> plans = new ConcurrentHashMap<>();

    SchemaCoding(Schema schema, Scalars scalars) {
        this.schema = schema;
        this.graphQLSchema = schema.graphQLSchema();
        this.scalars = scalars;
    }

    Schema schema() {
        return schema;
    }

    /** Whether any codec is registered: without one, nothing is ever serialised or parsed. */
    boolean parses() {
        return !scalars.isEmpty();
    }

    /** The request with its variables serialised; the same request when nothing needs it. */
    GraphQLRequest serializeVariables(GraphQLRequest request) {
        if (scalars.isEmpty() || request.variables().isEmpty()) {
            return request;
        }
        Plan plan = plan(request);
        if (plan.variableTypes.isEmpty()) {
            return request;
        }
        Map<String, Object> variables = null;
        for (Map.Entry<String, GraphQLInputType> entry : plan.variableTypes.entrySet()) {
            String name = entry.getKey();
            if (!request.variables().containsKey(name)) {
                continue;
            }
            Object value = request.variables().get(name);
            Object serialized = serialize(value, entry.getValue(), "$" + name);
            if (serialized != value) {
                if (variables == null) {
                    variables = new LinkedHashMap<>(request.variables());
                }
                variables.put(name, serialized);
            }
        }
        return variables == null ? request : request.withVariables(variables);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object serialize(Object value, GraphQLType type, String path) {
        if (value == null) {
            return null;
        }
        GraphQLType bare = GraphQLTypeUtil.unwrapNonNull(type);
        if (bare instanceof GraphQLList list) {
            GraphQLType element = list.getWrappedType();
            if (value instanceof Collection<?> values) {
                List<Object> out = null;
                int i = 0;
                for (Object item : values) {
                    Object serialized = serialize(item, element, path + "[" + i + "]");
                    if (serialized != item && out == null) {
                        out = new ArrayList<>(values);
                    }
                    if (out != null) {
                        out.set(i, serialized);
                    }
                    i++;
                }
                return out == null ? value : out;
            }
            return serialize(value, element, path); // a single value where a list is expected: allowed by coercion
        }
        if (bare instanceof GraphQLInputObjectType object) {
            if (!(value instanceof Map<?, ?> fields)) {
                return value; // a POJO or record: Jackson writes it as it is
            }
            Map<Object, Object> out = null;
            for (Map.Entry<?, ?> field : fields.entrySet()) {
                GraphQLInputObjectField definition = object.getField(String.valueOf(field.getKey()));
                if (definition == null) {
                    continue;
                }
                Object serialized = serialize(field.getValue(), definition.getType(), path + "." + field.getKey());
                if (serialized != field.getValue()) {
                    if (out == null) {
                        out = new LinkedHashMap<>(fields);
                    }
                    out.put(field.getKey(), serialized);
                }
            }
            return out == null ? value : out;
        }
        ScalarCodec codec = scalars.codec(((GraphQLNamedType) bare).getName());
        if (codec == null || !codec.javaType().isInstance(value)) {
            return value;
        }
        try {
            return codec.serialize(value);
        } catch (RuntimeException e) {
            throw new JgqlUsageException("The variable " + path + " (" + GraphQLJson.shortened(value)
                    + ") could not be serialised as " + ((GraphQLNamedType) bare).getName() + ": " + e.getMessage()
                    + "; nothing was sent");
        }
    }

    /** The result with its custom scalars parsed; the same result when nothing needs it. */
    ExecutionResult parseResult(GraphQLRequest request, ExecutionResult result) {
        if (scalars.isEmpty() || result.data() == null) {
            return result;
        }
        Plan plan = plan(request);
        if (!plan.parses) {
            return result;
        }
        Object parsed = parseObject(result.data(), plan.rootType, plan.operation.getSelectionSet(), plan.fragments,
                new ArrayList<>());
        return parsed == result.data() ? result : result.withData(castMap(parsed));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    /**
     * Walks one selection set over the object the server sent for it. Only what the data holds is
     * walked, so @skip and @include need no variables; a fragment applies when the object's
     * {@code __typename} (if selected) is one of its type condition's possible types.
     */
    private Object parseObject(Map<?, ?> object, GraphQLCompositeType type, SelectionSet selections,
            Map<String, FragmentDefinition> fragments, List<Object> path) {
        Map<Object, Object> out = null;
        Object typeName = object.get("__typename");
        for (Selection<?> selection : selections.getSelections()) {
            Map<?, ?> current = out == null ? object : out;
            Object parsed;
            if (selection instanceof Field field) {
                String key = field.getResultKey();
                Object value = current.get(key);
                GraphQLFieldDefinition definition = fieldOf(type, field.getName());
                if (value == null || definition == null) {
                    continue;
                }
                path.add(key);
                Object converted = parseValue(value, definition.getType(), field.getSelectionSet(), fragments, path);
                path.remove(path.size() - 1);
                if (converted != value) {
                    if (out == null) {
                        out = new LinkedHashMap<>(object);
                    }
                    out.put(key, converted);
                }
                continue;
            }
            TypeName condition;
            SelectionSet inner;
            if (selection instanceof InlineFragment inline) {
                condition = inline.getTypeCondition();
                inner = inline.getSelectionSet();
            } else if (selection instanceof FragmentSpread spread && fragments.get(spread.getName()) != null) {
                FragmentDefinition definition = fragments.get(spread.getName());
                condition = definition.getTypeCondition();
                inner = definition.getSelectionSet();
            } else {
                continue;
            }
            GraphQLCompositeType narrowed = condition == null ? type
                    : (GraphQLCompositeType) graphQLSchema.getType(condition.getName());
            if (narrowed == null || (typeName instanceof String name && !appliesTo(narrowed, name))) {
                continue;
            }
            parsed = parseObject(current, narrowed, inner, fragments, path);
            if (parsed != current) {
                out = castObjects(parsed);
            }
        }
        return out == null ? object : out;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> castObjects(Object value) {
        return (Map<Object, Object>) value;
    }

    private boolean appliesTo(GraphQLCompositeType condition, String typeName) {
        if (condition instanceof GraphQLObjectType object) {
            return object.getName().equals(typeName);
        }
        GraphQLObjectType concrete = graphQLSchema.getObjectType(typeName);
        return concrete != null && graphQLSchema.isPossibleType((GraphQLNamedType) condition, concrete);
    }

    private static GraphQLFieldDefinition fieldOf(GraphQLCompositeType type, String name) {
        if (type instanceof GraphQLFieldsContainer container) {
            return container.getFieldDefinition(name);
        }
        return null; // a union has no fields but __typename
    }

    @SuppressWarnings("rawtypes")
    private Object parseValue(Object value, GraphQLType type, SelectionSet selections,
            Map<String, FragmentDefinition> fragments, List<Object> path) {
        if (value == null) {
            return null;
        }
        GraphQLType bare = GraphQLTypeUtil.unwrapNonNull(type);
        if (bare instanceof GraphQLList list) {
            if (!(value instanceof List<?> values)) {
                return value;
            }
            List<Object> out = null;
            for (int i = 0; i < values.size(); i++) {
                Object item = values.get(i);
                path.add(i);
                Object parsed = parseValue(item, list.getWrappedType(), selections, fragments, path);
                path.remove(path.size() - 1);
                if (parsed != item) {
                    if (out == null) {
                        out = new ArrayList<>(values);
                    }
                    out.set(i, parsed);
                }
            }
            return out == null ? value : out;
        }
        if (bare instanceof GraphQLCompositeType composite) {
            return value instanceof Map<?, ?> object && selections != null
                    ? parseObject(object, composite, selections, fragments, path) : value;
        }
        GraphQLNamedType named = (GraphQLNamedType) bare;
        ScalarCodec codec = scalars.codec(named.getName());
        if (codec == null || codec.javaType().isInstance(value)) {
            return value;
        }
        try {
            Object parsed = codec.parse(value);
            if (parsed == null) {
                throw new IllegalArgumentException("the codec returned null");
            }
            return parsed;
        } catch (RuntimeException e) {
            throw new ResultMappingException("The value at " + ResultPaths.text(path) + " (" + GraphQLJson.shortened(value)
                    + ") is not a valid " + named.getName() + ": " + e.getMessage(), e);
        }
    }

    // ---- plans --------------------------------------------------------------------------------

    private Plan plan(GraphQLRequest request) {
        PlanKey key = new PlanKey(request.parsedDocument(), request.selectedOperationName().orElse(null));
        Plan plan = plans.get(key);
        if (plan == null) {
            plan = makePlan(request);
            if (plans.size() >= MAX_CACHED_PLANS) {
                plans.clear();
            }
            plans.put(key, plan);
        }
        return plan;
    }

    private Plan makePlan(GraphQLRequest request) {
        OperationDefinition operation = operation(request);
        Map<String, GraphQLInputType> variableTypes = new LinkedHashMap<>();
        for (VariableDefinition definition : operation.getVariableDefinitions()) {
            GraphQLType type = TypeFromAST.getTypeFromAST(graphQLSchema, definition.getType());
            if (type instanceof GraphQLInputType input && reachesCodec(input, new HashSet<>())) {
                variableTypes.put(definition.getName(), input);
            }
        }
        Map<String, FragmentDefinition> fragments = new java.util.HashMap<>();
        for (FragmentDefinition fragment : request.parsedDocument().getDefinitionsOfType(FragmentDefinition.class)) {
            fragments.put(fragment.getName(), fragment);
        }
        GraphQLObjectType root = switch (operation.getOperation()) {
            case QUERY -> graphQLSchema.getQueryType();
            case MUTATION -> graphQLSchema.getMutationType();
            case SUBSCRIPTION -> graphQLSchema.getSubscriptionType();
        };
        boolean parses = root != null && reachesCodec(root, operation.getSelectionSet(), fragments, new HashSet<>());
        return new Plan(Map.copyOf(variableTypes), parses, operation, root, Map.copyOf(fragments));
    }

    private OperationDefinition operation(GraphQLRequest request) {
        Document document = request.parsedDocument();
        String name = request.selectedOperationName().orElse(null);
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            if (Objects.equals(operation.getName(), name)) {
                return operation;
            }
        }
        throw new IllegalStateException("no operation " + name + " in the document of " + request);
    }

    /** Whether any leaf under these selections has a registered codec; fragments are followed once each. */
    private boolean reachesCodec(GraphQLCompositeType type, SelectionSet selections,
            Map<String, FragmentDefinition> fragments, Set<String> seenFragments) {
        if (selections == null) {
            return false;
        }
        for (Selection<?> selection : selections.getSelections()) {
            if (selection instanceof Field field) {
                GraphQLFieldDefinition definition = fieldOf(type, field.getName());
                if (definition == null) {
                    continue;
                }
                GraphQLNamedType leafOrObject = GraphQLTypeUtil.unwrapAll(definition.getType());
                if (leafOrObject instanceof GraphQLCompositeType composite
                        ? reachesCodec(composite, field.getSelectionSet(), fragments, seenFragments)
                        : scalars.codec(leafOrObject.getName()) != null) {
                    return true;
                }
            } else if (selection instanceof InlineFragment inline) {
                GraphQLCompositeType narrowed = inline.getTypeCondition() == null ? type
                        : (GraphQLCompositeType) graphQLSchema.getType(inline.getTypeCondition().getName());
                if (narrowed != null && reachesCodec(narrowed, inline.getSelectionSet(), fragments, seenFragments)) {
                    return true;
                }
            } else if (selection instanceof FragmentSpread spread && seenFragments.add(spread.getName())) {
                FragmentDefinition definition = fragments.get(spread.getName());
                GraphQLType narrowed = definition == null ? null : graphQLSchema.getType(definition.getTypeCondition().getName());
                if (narrowed instanceof GraphQLCompositeType composite
                        && reachesCodec(composite, definition.getSelectionSet(), fragments, seenFragments)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean reachesCodec(GraphQLInputType type, Set<String> seen) {
        GraphQLNamedType named = GraphQLTypeUtil.unwrapAll(type);
        if (!seen.add(named.getName())) {
            return false;
        }
        if (named instanceof GraphQLInputObjectType object) {
            for (GraphQLInputObjectField field : object.getFieldDefinitions()) {
                if (reachesCodec(field.getType(), seen)) {
                    return true;
                }
            }
            return false;
        }
        return scalars.codec(named.getName()) != null;
    }

    /** A document (by identity: parsed once, shared by its requests) and the operation selected in it. */
    private record PlanKey(Document document, String operationName) {
        @Override
        public boolean equals(Object other) {
            return other instanceof PlanKey key && key.document == document
                    && Objects.equals(key.operationName, operationName);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(document) * 31 + Objects.hashCode(operationName);
        }
    }

    /**
     * @param variableTypes the variables whose types reach a codec
     * @param parses        whether answers may hold values of a registered type
     * @param operation     the selected operation
     * @param rootType      its root type
     * @param fragments     the document's fragments by name
     */
    private record Plan(Map<String, GraphQLInputType> variableTypes, boolean parses, OperationDefinition operation,
            GraphQLObjectType rootType, Map<String, FragmentDefinition> fragments) {
    }
}
