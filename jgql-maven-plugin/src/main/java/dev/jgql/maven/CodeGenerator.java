package dev.jgql.maven;

import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.MultiSourceReader;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.validation.ValidationError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns {@code .graphql} files and a schema into Java sources: one class per operation, one
 * interface per fragment it uses, one enum or record per enum or input type they refer to.
 * Pure: no files, no Maven; the same inputs give the same text, byte for byte.
 */
final class CodeGenerator {
    /** Changes whenever the generated text changes for the same inputs (part of the staleness fingerprint). */
    static final String OUTPUT_VERSION = "1";

    /** The scalars every schema has, and the Java types they become unless configured otherwise. */
    static final Map<String, String> DEFAULT_SCALARS = Map.of(
            "ID", "String", "String", "String", "Int", "Integer", "Float", "Double", "Boolean", "Boolean");

    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
            "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum",
            "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof",
            "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
            "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
            "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield", "record",
            "sealed", "permits", "_");
    /** Methods every record has: a component of that name would clash with them. */
    private static final Set<String> OBJECT_METHODS = Set.of("hashCode", "toString", "equals", "getClass",
            "notify", "notifyAll", "wait", "clone", "finalize", "toMap", "builder");
    /**
     * Simple names the generated code uses without qualification: a generated type of that name
     * would hide them.
     */
    private static final Set<String> USED_SIMPLE_NAMES = Set.of("String", "Integer", "Double", "Boolean", "Object",
            "Long", "Override", "Deprecated", "IllegalStateException", "Class", "Record", "Enum",
            "JsonTypeInfo", "JsonSubTypes", "JsonCreator", "JsonValue", "TypedOperation", "GraphQLRequest", "Gql",
            "Objects");
    private static final Pattern JAVA_TYPE = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");
    private static final Pattern VALIDATION_PREFIX = Pattern.compile("^Validation error \\([^)]*\\)\\s*:\\s*");

    /** One {@code .graphql} file: its path relative to the source directory (for messages) and its text. */
    record Source(String path, String text) {
    }

    private final GraphQLSchema schema;
    private final Map<String, String> scalars = new HashMap<>(DEFAULT_SCALARS);
    private final String packageName;

    // The state of one generate() call.
    private final Map<String, FragmentDefinition> fragments = new TreeMap<>();
    private final Map<String, FragmentDefinition> fragmentsWithTypename = new HashMap<>();
    private final Map<String, Iface> fragmentInterfaces = new HashMap<>();
    private final Map<String, String> topLevelNames = new TreeMap<>();
    private final Set<String> usedEnums = new TreeSet<>();
    private final Set<String> usedInputs = new TreeSet<>();
    private final Map<String, String> output = new TreeMap<>();

    CodeGenerator(GraphQLSchema schema, Map<String, String> configuredScalars, String packageName) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.packageName = packageName == null ? "" : packageName.trim();
        if (!this.packageName.isEmpty() && !JAVA_TYPE.matcher(this.packageName).matches()) {
            throw new CodegenException("packageName '" + packageName + "' is not a Java package name");
        }
        List<String> problems = new ArrayList<>();
        if (configuredScalars != null) {
            new TreeMap<>(configuredScalars).forEach((scalar, javaType) -> {
                String type = javaType == null ? "" : javaType.trim();
                if (!JAVA_TYPE.matcher(type).matches()) {
                    problems.add("scalars: the Java type '" + javaType + "' of scalar " + scalar
                            + " is not a class name (e.g. java.time.OffsetDateTime)");
                }
                scalars.put(scalar, type);
            });
        }
        if (!problems.isEmpty()) {
            throw new CodegenException(problems);
        }
    }

    /**
     * Generates the sources.
     *
     * @param sources the {@code .graphql} files
     * @return the Java sources by path relative to the output directory ({@code dev/acme/FooQuery.java}), sorted
     * @throws CodegenException with every problem found
     */
    Map<String, String> generate(List<Source> sources) {
        List<ParsedOperation> operations = parse(sources);
        List<String> problems = new ArrayList<>();
        Map<ParsedOperation, List<String>> usedFragments = new LinkedHashMap<>();
        for (ParsedOperation operation : operations) {
            List<String> used = new ArrayList<>();
            Set<String> missing = new TreeSet<>();
            collectFragments(operation.definition.getSelectionSet(), used, missing);
            usedFragments.put(operation, used);
            List<Definition<?>> definitions = new ArrayList<>();
            definitions.add(operation.definition);
            used.forEach(name -> definitions.add(fragments.get(name)));
            for (ValidationError error : graphql.ParseAndValidate.validate(schema, document(definitions),
                    Locale.ENGLISH)) {
                problems.add(where(error.getLocations(), operation.source) + ": "
                        + VALIDATION_PREFIX.matcher(error.getDescription() == null ? error.getMessage()
                                : error.getDescription()).replaceFirst("")
                        + " (operation " + operation.definition.getName() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new CodegenException(problems);
        }

        for (ParsedOperation operation : operations) {
            claimTopLevel(operation.className, "operation " + operation.definition.getName() + " of "
                    + operation.source);
        }
        Set<String> allUsed = new TreeSet<>();
        usedFragments.values().forEach(allUsed::addAll);
        for (String name : allUsed) {
            FragmentDefinition fragment = fragments.get(name);
            GraphQLCompositeType type = (GraphQLCompositeType) schema.getType(fragment.getTypeCondition().getName());
            fragmentsWithTypename.put(name, fragment.transform(builder -> builder
                    .selectionSet(withTypename(fragment.getSelectionSet(), type))));
            claimTopLevel(className(name), "fragment " + name + " of " + where(
                    List.of(fragment.getSourceLocation()), null));
        }
        // Enums and input objects are named before any nested type, so nested types never hide them.
        for (ParsedOperation operation : operations) {
            for (VariableDefinition variable : operation.definition.getVariableDefinitions()) {
                registerInput(graphql.schema.idl.TypeInfo.typeInfo(variable.getType()).getName());
            }
            registerOutputEnums(operation.definition.getSelectionSet(), rootType(operation.definition));
        }
        for (String name : allUsed) {
            FragmentDefinition fragment = fragments.get(name);
            registerOutputEnums(fragment.getSelectionSet(),
                    (GraphQLCompositeType) schema.getType(fragment.getTypeCondition().getName()));
        }
        for (String name : usedEnums) {
            claimTopLevel(name, "enum " + name + " of the schema");
        }
        for (String name : usedInputs) {
            claimTopLevel(name, "input " + name + " of the schema");
        }

        for (String name : allUsed) {
            fragmentInterface(name);
        }
        for (ParsedOperation operation : operations) {
            writeOperation(operation, usedFragments.get(operation));
        }
        usedEnums.forEach(name -> writeEnum((GraphQLEnumType) schema.getType(name)));
        usedInputs.forEach(name -> writeInput((GraphQLInputObjectType) schema.getType(name)));
        return output;
    }

    // ---------------------------------------------------------------- parsing and checks

    private static final class ParsedOperation {
        final OperationDefinition definition;
        final String source;
        final String className;

        ParsedOperation(OperationDefinition definition, String source, String className) {
            this.definition = definition;
            this.source = source;
            this.className = className;
        }
    }

    private List<ParsedOperation> parse(List<Source> sources) {
        List<String> problems = new ArrayList<>();
        List<ParsedOperation> operations = new ArrayList<>();
        Map<String, String> operationNames = new HashMap<>();
        Map<String, String> classNames = new HashMap<>();
        Map<String, String> fragmentPlaces = new HashMap<>();
        List<Source> sorted = new ArrayList<>(sources);
        sorted.sort(Comparator.comparing(Source::path));
        for (Source source : sorted) {
            Document document;
            try {
                document = Parser.parse(ParserEnvironment.newParserEnvironment()
                        .document(MultiSourceReader.newMultiSourceReader().string(source.text(), source.path())
                                .trackData(false).build())
                        .build());
            } catch (InvalidSyntaxException e) {
                SourceLocation location = e.getLocation();
                problems.add(source.path() + (location == null ? "" : ":" + location.getLine() + ":"
                        + location.getColumn()) + ": syntax error: " + e.getMessage());
                continue;
            }
            for (Definition<?> definition : document.getDefinitions()) {
                String place = where(List.of(definition.getSourceLocation()), source.path());
                if (definition instanceof OperationDefinition operation) {
                    if (operation.getName() == null || operation.getName().isEmpty()) {
                        problems.add(place + ": anonymous " + kind(operation)
                                + ": give it a name, which names its generated class (e.g. query getContinent)");
                        continue;
                    }
                    String earlier = operationNames.putIfAbsent(operation.getName(), place);
                    if (earlier != null) {
                        problems.add(place + ": duplicate operation name " + operation.getName()
                                + " (also at " + earlier + "): operation names must be unique across the files");
                        continue;
                    }
                    String className = className(operation.getName()) + suffix(operation);
                    String clash = classNames.putIfAbsent(className, place);
                    if (clash != null) {
                        problems.add(place + ": operation " + operation.getName() + " would generate " + className
                                + ", like the operation at " + clash + ": rename one of them");
                        continue;
                    }
                    operations.add(new ParsedOperation(operation, source.path(), className));
                } else if (definition instanceof FragmentDefinition fragment) {
                    String earlier = fragmentPlaces.putIfAbsent(fragment.getName(), place);
                    if (earlier != null) {
                        problems.add(place + ": duplicate fragment name " + fragment.getName() + " (also at "
                                + earlier + "): fragment names must be unique across the files");
                        continue;
                    }
                    fragments.put(fragment.getName(), fragment);
                } else {
                    problems.add(place + ": only operations and fragments belong in operation files, not "
                            + definition.getClass().getSimpleName() + " (the schema goes in the schema file)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CodegenException(problems);
        }
        operations.sort(Comparator.comparing(operation -> operation.className));
        return operations;
    }

    @SuppressWarnings({"rawtypes", "unchecked"}) // graphql-java's builder takes a raw list
    private static Document document(List<Definition<?>> definitions) {
        return Document.newDocument().definitions((List) definitions).build();
    }

    private static String kind(OperationDefinition operation) {
        return operation.getOperation().name().toLowerCase(Locale.ROOT);
    }

    private static String suffix(OperationDefinition operation) {
        return switch (operation.getOperation()) {
            case QUERY -> "Query";
            case MUTATION -> "Mutation";
            case SUBSCRIPTION -> "Subscription";
        };
    }

    private static String where(List<SourceLocation> locations, String fallbackSource) {
        if (locations == null || locations.isEmpty() || locations.get(0) == null) {
            return fallbackSource == null ? "?" : fallbackSource;
        }
        SourceLocation location = locations.get(0);
        String source = location.getSourceName() != null ? location.getSourceName() : fallbackSource;
        return source + ":" + location.getLine() + ":" + location.getColumn();
    }

    /** The fragments a selection spreads, transitively, in the order first met; unknown ones go to missing. */
    private void collectFragments(SelectionSet selectionSet, List<String> used, Set<String> missing) {
        if (selectionSet == null) {
            return;
        }
        for (Selection<?> selection : selectionSet.getSelections()) {
            if (selection instanceof Field field) {
                collectFragments(field.getSelectionSet(), used, missing);
            } else if (selection instanceof InlineFragment inline) {
                collectFragments(inline.getSelectionSet(), used, missing);
            } else if (selection instanceof FragmentSpread spread) {
                FragmentDefinition fragment = fragments.get(spread.getName());
                if (fragment == null) {
                    missing.add(spread.getName());
                } else if (!used.contains(spread.getName())) {
                    used.add(spread.getName());
                    collectFragments(fragment.getSelectionSet(), used, missing);
                }
            }
        }
    }

    private void claimTopLevel(String name, String what) {
        if (USED_SIMPLE_NAMES.contains(name)) {
            throw new CodegenException(what + " would generate a type named " + name
                    + ", which would hide the Java type of that name in the generated code: rename it");
        }
        String earlier = topLevelNames.putIfAbsent(name, what);
        if (earlier != null) {
            throw new CodegenException(what + " would generate " + qualified(name) + ", like " + earlier
                    + ": rename one of them");
        }
    }

    private GraphQLObjectType rootType(OperationDefinition operation) {
        return switch (operation.getOperation()) {
            case QUERY -> schema.getQueryType();
            case MUTATION -> schema.getMutationType();
            case SUBSCRIPTION -> schema.getSubscriptionType();
        };
    }

    private void registerInput(String typeName) {
        GraphQLType type = schema.getType(typeName);
        if (type instanceof GraphQLEnumType) {
            usedEnums.add(typeName);
        } else if (type instanceof GraphQLInputObjectType input && usedInputs.add(typeName)) {
            for (GraphQLInputObjectField field : input.getFieldDefinitions()) {
                registerInput(GraphQLTypeUtil.unwrapAll(field.getType()).getName());
            }
        }
    }

    private void registerOutputEnums(SelectionSet selectionSet, GraphQLCompositeType parent) {
        if (selectionSet == null) {
            return;
        }
        for (Selection<?> selection : selectionSet.getSelections()) {
            if (selection instanceof Field field && parent instanceof GraphQLFieldsContainer container
                    && !field.getName().startsWith("__")) {
                GraphQLNamedType type = GraphQLTypeUtil.unwrapAll(container.getFieldDefinition(field.getName()).getType());
                if (type instanceof GraphQLEnumType) {
                    usedEnums.add(type.getName());
                } else if (type instanceof GraphQLCompositeType composite) {
                    registerOutputEnums(field.getSelectionSet(), composite);
                }
            } else if (selection instanceof InlineFragment inline) {
                registerOutputEnums(inline.getSelectionSet(), inline.getTypeCondition() == null ? parent
                        : (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName()));
            }
        }
    }

    // ---------------------------------------------------------------- __typename where types are abstract

    /** The selection with {@code __typename} first wherever the type is an interface or a union, recursively. */
    @SuppressWarnings("rawtypes") // graphql-java's builders take raw lists
    private SelectionSet withTypename(SelectionSet selectionSet, GraphQLCompositeType parent) {
        if (selectionSet == null) {
            return null;
        }
        List<Selection> selections = new ArrayList<>();
        boolean abstractType = parent instanceof GraphQLInterfaceType || parent instanceof GraphQLUnionType;
        boolean hasTypename = false;
        for (Selection<?> selection : selectionSet.getSelections()) {
            if (selection instanceof Field field) {
                if (field.getName().equals("__typename") && field.getAlias() == null) {
                    hasTypename = true;
                }
                GraphQLCompositeType fieldType = null;
                if (parent instanceof GraphQLFieldsContainer container && !field.getName().startsWith("__")) {
                    GraphQLNamedType type = GraphQLTypeUtil.unwrapAll(container.getFieldDefinition(field.getName()).getType());
                    fieldType = type instanceof GraphQLCompositeType composite ? composite : null;
                }
                GraphQLCompositeType typeOfField = fieldType;
                selections.add(fieldType == null ? field
                        : field.transform(builder -> builder.selectionSet(withTypename(field.getSelectionSet(), typeOfField))));
            } else if (selection instanceof InlineFragment inline) {
                GraphQLCompositeType condition = inline.getTypeCondition() == null ? parent
                        : (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName());
                selections.add(inline.transform(builder -> builder.selectionSet(withTypename(inline.getSelectionSet(), condition))));
            } else {
                selections.add(selection);
            }
        }
        if (abstractType && !hasTypename) {
            selections.add(0, Field.newField("__typename").build());
        }
        return selectionSet.transform(builder -> builder.selections(selections));
    }

    // ---------------------------------------------------------------- field collection

    /** The fields a selection gives for a set of possible object types, by response key, and the fragments it applies. */
    private final class Collected {
        final Set<GraphQLObjectType> possible;
        final Map<String, List<Field>> fields = new LinkedHashMap<>();
        final Set<String> spreads = new LinkedHashSet<>();

        Collected(Set<GraphQLObjectType> possible, Collection<SelectionSet> selectionSets) {
            this.possible = possible;
            selectionSets.forEach(this::collect);
        }

        private void collect(SelectionSet selectionSet) {
            if (selectionSet == null) {
                return;
            }
            for (Selection<?> selection : selectionSet.getSelections()) {
                if (selection instanceof Field field) {
                    fields.computeIfAbsent(field.getResultKey(), key -> new ArrayList<>()).add(field);
                } else if (selection instanceof InlineFragment inline) {
                    if (applies(inline.getTypeCondition())) {
                        collect(inline.getSelectionSet());
                    }
                } else if (selection instanceof FragmentSpread spread) {
                    FragmentDefinition fragment = fragmentsWithTypename.get(spread.getName());
                    if (applies(fragment.getTypeCondition())) {
                        spreads.add(spread.getName());
                        collect(fragment.getSelectionSet());
                    }
                }
            }
        }

        /** A condition applies when every possible type satisfies it. */
        private boolean applies(TypeName condition) {
            return condition == null || possibleTypes(schema.getType(condition.getName())).containsAll(possible);
        }

        boolean sameShapeAs(Collected other) {
            if (!spreads.equals(other.spreads) || !fields.keySet().equals(other.fields.keySet())) {
                return false;
            }
            for (Map.Entry<String, List<Field>> entry : fields.entrySet()) {
                if (!sameFields(entry.getValue(), other.fields.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The same field nodes: the same selection, so the same Java type. */
    private static boolean sameFields(List<Field> mine, List<Field> theirs) {
        if (mine == null || theirs == null || mine.size() != theirs.size()) {
            return false;
        }
        for (int i = 0; i < mine.size(); i++) {
            if (mine.get(i) != theirs.get(i)) {
                return false;
            }
        }
        return true;
    }

    private Set<GraphQLObjectType> possibleTypes(GraphQLType type) {
        List<GraphQLObjectType> types = new ArrayList<>();
        if (type instanceof GraphQLObjectType object) {
            types.add(object);
        } else if (type instanceof GraphQLInterfaceType anInterface) {
            types.addAll(schema.getImplementations(anInterface));
        } else if (type instanceof GraphQLUnionType union) {
            union.getTypes().forEach(member -> types.add((GraphQLObjectType) member));
        }
        types.sort(Comparator.comparing(GraphQLObjectType::getName));
        return new LinkedHashSet<>(types);
    }

    private static List<SelectionSet> subSelections(List<Field> fields) {
        List<SelectionSet> sets = new ArrayList<>();
        for (Field field : fields) {
            if (field.getSelectionSet() != null) {
                sets.add(field.getSelectionSet());
            }
        }
        return sets;
    }

    /** The definition of a selected field, {@code __typename} included. */
    private GraphQLFieldDefinition definition(GraphQLCompositeType parent, Field field) {
        if (field.getName().startsWith("__") && !field.getName().equals("__typename")) {
            throw new CodegenException(where(List.of(field.getSourceLocation()), null) + ": introspection field "
                    + field.getName() + " in a typed operation: send it with Gql.gql and read the map instead");
        }
        if (field.getName().equals("__typename")) {
            return GraphQLFieldDefinition.newFieldDefinition().name("__typename")
                    .description("The name of the object's type in the schema.")
                    .type(GraphQLNonNull.nonNull(graphql.Scalars.GraphQLString)).build();
        }
        return ((GraphQLFieldsContainer) parent).getFieldDefinition(field.getName());
    }

    // ---------------------------------------------------------------- naming

    /** A generated type: its name qualified from the package (Outer.Inner) and the names taken inside it. */
    private static final class TypeNode {
        final TypeNode parent;
        final String simpleName;
        final String qualified;
        final Set<String> children = new LinkedHashSet<>();

        TypeNode(TypeNode parent, String simpleName) {
            this.parent = parent;
            this.simpleName = simpleName;
            this.qualified = parent == null ? simpleName : parent.qualified + "." + simpleName;
        }
    }

    /** A nested type's name: unique among its siblings, unlike every enclosing type and every top-level name. */
    private TypeNode child(TypeNode parent, String wanted) {
        String base = className(wanted);
        String candidate = base;
        for (int n = 2; taken(parent, candidate); n++) {
            candidate = base + n;
        }
        parent.children.add(candidate);
        return new TypeNode(parent, candidate);
    }

    private boolean taken(TypeNode parent, String name) {
        if (USED_SIMPLE_NAMES.contains(name) || topLevelNames.containsKey(name) || parent.children.contains(name)) {
            return true;
        }
        for (TypeNode enclosing = parent; enclosing != null; enclosing = enclosing.parent) {
            if (enclosing.simpleName.equals(name)) {
                return true;
            }
        }
        return false;
    }

    static String className(String graphqlName) {
        String name = graphqlName;
        while (name.startsWith("_") && name.length() > 1) {
            name = name.substring(1);
        }
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The Java member name of a response key or argument: keywords and Object's methods get a trailing underscore. */
    static String memberName(String graphqlName) {
        return JAVA_KEYWORDS.contains(graphqlName) || OBJECT_METHODS.contains(graphqlName)
                ? graphqlName + "_" : graphqlName;
    }

    private String qualified(String topLevelName) {
        return packageName.isEmpty() ? topLevelName : packageName + "." + topLevelName;
    }

    // ---------------------------------------------------------------- Java types

    private String scalarType(String scalar) {
        return scalars.getOrDefault(scalar, "Object");
    }

    /** The Java type of an output type; objects become {@code objectType}, lists of them {@code ? extends} in interfaces. */
    private String outputType(GraphQLType type, String objectType, boolean wildcards) {
        GraphQLType bare = GraphQLTypeUtil.unwrapNonNull(type);
        if (bare instanceof GraphQLList list) {
            String element = outputType(list.getWrappedType(), objectType, wildcards);
            boolean ofObjects = GraphQLTypeUtil.unwrapAll(list) instanceof GraphQLCompositeType;
            return "java.util.List<" + (wildcards && ofObjects ? "? extends " : "") + element + ">";
        }
        if (bare instanceof GraphQLScalarType scalar) {
            return scalarType(scalar.getName());
        }
        if (bare instanceof GraphQLEnumType anEnum) {
            return anEnum.getName();
        }
        return objectType;
    }

    private String inputType(GraphQLType type) {
        GraphQLType bare = GraphQLTypeUtil.unwrapNonNull(type);
        if (bare instanceof GraphQLList list) {
            return "java.util.List<" + inputType(list.getWrappedType()) + ">";
        }
        if (bare instanceof GraphQLScalarType scalar) {
            return scalarType(scalar.getName());
        }
        return ((GraphQLNamedType) bare).getName();
    }

    /** An expression turning a Java value into what the request's variables hold (maps, names of enums). */
    private static String toVariable(String expression, GraphQLType type, int depth) {
        GraphQLType bare = GraphQLTypeUtil.unwrapNonNull(type);
        if (bare instanceof GraphQLList list) {
            String element = "e" + depth;
            String inner = toVariable(element, list.getWrappedType(), depth + 1);
            return inner.equals(element) ? expression : expression + " == null ? null : " + expression
                    + ".stream().map(" + element + " -> " + inner + ").toList()";
        }
        if (bare instanceof GraphQLEnumType) {
            return expression + " == null ? null : " + expression + ".graphqlName()";
        }
        if (bare instanceof GraphQLInputObjectType) {
            return expression + " == null ? null : " + expression + ".toMap()";
        }
        return expression;
    }

    private static String graphqlType(GraphQLType type) {
        return GraphQLTypeUtil.simplePrint(type);
    }

    // ---------------------------------------------------------------- selections → records and interfaces

    /** The Java view of an interface, for the types that must implement its nested interfaces. */
    private static final class Iface {
        final String qualified;
        final List<Iface> supers = new ArrayList<>();
        final Map<String, Iface> nested = new HashMap<>();
        /** Object fields whose whole type is declared here (every variant selects them alike): key to type. */
        final Map<String, String> shared = new HashMap<>();
        final Map<String, List<Field>> sharedFields = new HashMap<>();

        Iface(String qualified) {
            this.qualified = qualified;
        }
    }

    private static Set<Iface> closure(Collection<Iface> interfaces) {
        Set<Iface> all = new LinkedHashSet<>();
        List<Iface> pending = new ArrayList<>(interfaces);
        while (!pending.isEmpty()) {
            Iface next = pending.remove(0);
            if (all.add(next)) {
                pending.addAll(next.supers);
            }
        }
        return all;
    }

    /** The type an enclosing sealed interface declares for this field, if the selection is the same. */
    private static String sharedType(Collection<Iface> interfaces, String key, List<Field> fields) {
        for (Iface anInterface : closure(interfaces)) {
            String shared = anInterface.shared.get(key);
            if (shared != null && sameFields(anInterface.sharedFields.get(key), fields)) {
                return shared;
            }
        }
        return null;
    }

    private static List<Iface> nestedOf(Collection<Iface> interfaces, String key) {
        Set<Iface> found = new LinkedHashSet<>();
        for (Iface anInterface : closure(interfaces)) {
            Iface nested = anInterface.nested.get(key);
            if (nested != null) {
                found.add(nested);
            }
        }
        return new ArrayList<>(found);
    }

    private Iface fragmentInterface(String name) {
        Iface existing = fragmentInterfaces.get(name);
        if (existing != null) {
            return existing;
        }
        FragmentDefinition fragment = fragmentsWithTypename.get(name);
        GraphQLCompositeType type = (GraphQLCompositeType) schema.getType(fragment.getTypeCondition().getName());
        TypeNode node = new TypeNode(null, className(name));
        Code code = new Code();
        Iface result = writeInterface(code, node, type, List.of(fragment.getSelectionSet()), List.of(),
                "The fields of fragment {@code " + name + "} on {@code " + type.getName() + "}: every record that "
                        + "spreads it implements it.", true);
        fragmentInterfaces.put(name, result);
        writeFile(node.simpleName, code, List.of());
        return result;
    }

    private List<Iface> fragmentInterfaces(Collection<String> names) {
        List<Iface> result = new ArrayList<>();
        names.forEach(name -> result.add(fragmentInterface(name)));
        return result;
    }

    /** Writes the type of an object-typed selection (a record, or a sealed interface for an abstract type). */
    private String writeSelection(Code code, TypeNode node, GraphQLCompositeType type, List<SelectionSet> sets,
            List<Iface> required) {
        if (type instanceof GraphQLObjectType object) {
            Collected collected = new Collected(Set.of(object), sets);
            writeRecord(code, node, object, collected, required, "A {@code " + type.getName() + "} as selected.");
        } else {
            writeSealed(code, node, type, sets, required);
        }
        return node.simpleName;
    }

    private void writeRecord(Code code, TypeNode node, GraphQLCompositeType type, Collected collected,
            List<Iface> required, String doc) {
        Set<Iface> implemented = new LinkedHashSet<>(required);
        implemented.addAll(fragmentInterfaces(collected.spreads));
        List<String> components = new ArrayList<>();
        List<String> params = new ArrayList<>();
        Code nested = new Code();
        nested.indent = code.indent + 1;
        for (Map.Entry<String, List<Field>> entry : collected.fields.entrySet()) {
            String key = entry.getKey();
            GraphQLFieldDefinition definition = definition(type, entry.getValue().get(0));
            GraphQLNamedType fieldType = GraphQLTypeUtil.unwrapAll(definition.getType());
            String javaType;
            String shared = sharedType(implemented, key, entry.getValue());
            if (shared != null) {
                javaType = outputType(definition.getType(), shared, false);
            } else if (fieldType instanceof GraphQLCompositeType composite) {
                TypeNode child = child(node, key);
                nested.blank();
                writeSelection(nested, child, composite, subSelections(entry.getValue()), nestedOf(implemented, key));
                javaType = outputType(definition.getType(), child.simpleName, false);
            } else {
                javaType = outputType(definition.getType(), null, false);
            }
            components.add(javaType + " " + memberName(key));
            params.add("@param " + memberName(key) + " " + fieldDoc(key, definition));
        }
        List<String> docLines = new ArrayList<>();
        docLines.add(doc);
        docLines.add("");
        docLines.addAll(params);
        code.javadoc(docLines);
        String header = "public record " + node.simpleName + "(" + String.join(", ", components) + ")"
                + implementsClause("implements", implemented) + " {";
        code.line(header);
        code.append(nested);
        code.line("}");
    }

    private void writeSealed(Code code, TypeNode node, GraphQLCompositeType type, List<SelectionSet> sets,
            List<Iface> required) {
        Set<GraphQLObjectType> possible = possibleTypes(type);
        Collected common = new Collected(possible, sets);
        Iface self = new Iface(node.qualified);
        self.supers.addAll(required);
        self.supers.addAll(fragmentInterfaces(common.spreads));

        Map<GraphQLObjectType, Collected> specifics = new LinkedHashMap<>();
        possible.forEach(object -> specifics.put(object, new Collected(Set.of(object), sets)));
        // An object field every type selects alike gets one type, declared here and used by every record.
        Set<String> sharedKeys = new LinkedHashSet<>();
        for (Map.Entry<String, List<Field>> entry : common.fields.entrySet()) {
            if (specifics.values().stream().allMatch(specific ->
                    sameFields(specific.fields.get(entry.getKey()), entry.getValue()))) {
                sharedKeys.add(entry.getKey());
            }
        }

        Code body = new Code();
        body.indent = code.indent + 1;
        writeMembers(body, node, type, common, self, sharedKeys);

        Map<String, List<String>> variants = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        Code variantCode = new Code();
        variantCode.indent = code.indent + 1;
        for (GraphQLObjectType object : possible) {
            Collected specific = specifics.get(object);
            if (specific.sameShapeAs(common)) {
                others.add(object.getName());
                continue;
            }
            TypeNode variant = child(node, object.getName());
            variantCode.blank();
            writeRecord(variantCode, variant, object, specific, List.of(self),
                    "{@link " + node.simpleName + "} when it is a {@code " + object.getName() + "}.");
            variants.put(variant.simpleName, List.of(object.getName()));
        }
        TypeNode other = child(node, "Other");
        variantCode.blank();
        writeRecord(variantCode, other, type, common, List.of(self), "{@link " + node.simpleName
                + "} when it is of a type without fields of its own in the selection"
                + (others.isEmpty() ? "" : " (" + String.join(", ", others) + ")")
                + ", or of a type added to the schema after this code was generated.");

        code.javadoc(List.of("A {@code " + type.getName() + "}: one record per type the selection asks more of, "
                + "told apart by {@code __typename}."));
        code.line("@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, "
                + "property = \"__typename\", visible = true, defaultImpl = " + node.simpleName + "." + other.simpleName
                + ".class)");
        List<String> subtypes = new ArrayList<>();
        variants.forEach((name, typeNames) -> subtypes.add("@JsonSubTypes.Type(value = " + node.simpleName + "."
                + name + ".class, names = " + stringArray(typeNames) + ")"));
        if (!others.isEmpty()) {
            subtypes.add("@JsonSubTypes.Type(value = " + node.simpleName + "." + other.simpleName
                    + ".class, names = " + stringArray(others) + ")");
        }
        if (subtypes.size() == 1) {
            code.line("@JsonSubTypes(" + subtypes.get(0) + ")");
        } else {
            code.line("@JsonSubTypes({");
            for (int i = 0; i < subtypes.size(); i++) {
                code.line("        " + subtypes.get(i) + (i + 1 < subtypes.size() ? "," : ""));
            }
            code.line("})");
        }
        code.line("public sealed interface " + node.simpleName + implementsClause("extends", self.supers) + " {");
        code.append(body);
        code.append(variantCode);
        code.line("}");
    }

    /**
     * Writes an interface for a selection: accessors for the fields every possible type has, nested
     * interfaces for object fields.
     */
    private Iface writeInterface(Code code, TypeNode node, GraphQLCompositeType type, List<SelectionSet> sets,
            List<Iface> required, String doc, boolean topLevel) {
        Collected collected = new Collected(possibleTypes(type), sets);
        Iface self = new Iface(node.qualified);
        self.supers.addAll(required);
        self.supers.addAll(fragmentInterfaces(collected.spreads));
        Code body = new Code();
        body.indent = code.indent + 1;
        writeMembers(body, node, type, collected, self, Set.of());
        code.javadoc(List.of(doc));
        code.line((topLevel ? "public " : "") + "interface " + node.simpleName + implementsClause("extends", self.supers)
                + " {");
        code.append(body);
        code.line("}");
        return self;
    }

    /** The accessors of an interface, and its nested interfaces (recorded in {@code self.nested}). */
    private void writeMembers(Code body, TypeNode node, GraphQLCompositeType type, Collected collected, Iface self,
            Set<String> sharedKeys) {
        boolean first = true;
        for (Map.Entry<String, List<Field>> entry : collected.fields.entrySet()) {
            String key = entry.getKey();
            GraphQLFieldDefinition definition = definition(type, entry.getValue().get(0));
            GraphQLNamedType fieldType = GraphQLTypeUtil.unwrapAll(definition.getType());
            String javaType;
            Code nested = null;
            if (fieldType instanceof GraphQLCompositeType composite && sharedKeys.contains(key)) {
                TypeNode child = child(node, key);
                nested = new Code();
                nested.indent = body.indent;
                writeSelection(nested, child, composite, subSelections(entry.getValue()), nestedOf(self.supers, key));
                self.shared.put(key, child.qualified);
                self.sharedFields.put(key, entry.getValue());
                javaType = outputType(definition.getType(), child.qualified, false);
            } else if (fieldType instanceof GraphQLCompositeType composite) {
                TypeNode child = child(node, key);
                nested = new Code();
                nested.indent = body.indent;
                Iface nestedInterface = writeInterface(nested, child, composite, subSelections(entry.getValue()),
                        nestedOf(self.supers, key), "A {@code " + composite.getName() + "} as selected in {@code "
                                + key + "}.", false);
                self.nested.put(key, nestedInterface);
                javaType = outputType(definition.getType(), child.qualified, true);
            } else {
                javaType = outputType(definition.getType(), null, true);
            }
            if (!first) {
                body.blank();
            }
            first = false;
            body.javadoc(List.of("@return " + fieldDoc(key, definition)));
            body.line(javaType + " " + memberName(key) + "();");
            if (nested != null) {
                body.blank();
                body.append(nested);
            }
        }
    }

    private static String implementsClause(String keyword, Collection<Iface> interfaces) {
        if (interfaces.isEmpty()) {
            return "";
        }
        Set<String> names = new LinkedHashSet<>();
        interfaces.forEach(anInterface -> names.add(anInterface.qualified));
        return " " + keyword + " " + String.join(", ", names);
    }

    private static String fieldDoc(String key, GraphQLFieldDefinition definition) {
        StringBuilder doc = new StringBuilder("{@code ").append(key).append("}");
        if (!key.equals(definition.getName())) {
            doc.append(" (field {@code ").append(definition.getName()).append("})");
        }
        doc.append(": {@code ").append(graphqlType(definition.getType())).append("}");
        if (!(definition.getType() instanceof GraphQLNonNull)) {
            doc.append(", may be null");
        }
        if (definition.getDescription() != null && !definition.getDescription().isBlank()) {
            doc.append(". ").append(javadocText(definition.getDescription()));
        }
        if (definition.isDeprecated()) {
            doc.append(" Deprecated: ").append(javadocText(String.valueOf(definition.getDeprecationReason())));
        }
        return doc.toString();
    }

    private static String stringArray(List<String> values) {
        List<String> literals = new ArrayList<>();
        values.forEach(value -> literals.add(javaString(value)));
        return "{" + String.join(", ", literals) + "}";
    }

    // ---------------------------------------------------------------- operations

    private void writeOperation(ParsedOperation operation, List<String> used) {
        OperationDefinition definition = operation.definition;
        GraphQLObjectType root = rootType(definition);
        OperationDefinition sent = definition.transform(builder -> builder
                .selectionSet(withTypename(definition.getSelectionSet(), root)));
        List<Definition<?>> definitions = new ArrayList<>();
        definitions.add(sent);
        new TreeSet<>(used).forEach(name -> definitions.add(fragmentsWithTypename.get(name)));
        String document = graphql.language.AstPrinter.printAst(document(definitions)).strip();

        String name = operation.className;
        TypeNode node = new TypeNode(null, name);
        node.children.add("Data");
        node.children.add("Variables");
        node.children.add("Builder");
        String kind = kind(definition);

        List<VariableDefinition> required = new ArrayList<>();
        List<VariableDefinition> optional = new ArrayList<>();
        for (VariableDefinition variable : definition.getVariableDefinitions()) {
            boolean nonNull = variable.getType() instanceof graphql.language.NonNullType;
            (nonNull && variable.getDefaultValue() == null ? required : optional).add(variable);
        }
        List<String> requiredParams = new ArrayList<>();
        List<String> requiredArgs = new ArrayList<>();
        for (VariableDefinition variable : required) {
            requiredParams.add(variableType(variable) + " " + memberName(variable.getName()));
            requiredArgs.add(memberName(variable.getName()));
        }

        Code code = new Code();
        code.javadoc(List.of(
                "The {@code " + definition.getName() + "} " + kind + " of {@code " + javadocText(operation.source)
                        + "}, typed: " + (definition.getOperation() == OperationDefinition.Operation.SUBSCRIPTION
                        ? "{@code session.subscribe(" + name + ".of(...))} publishes its {@link Data} events."
                        : "{@code session.execute(" + name + ".of(...))} returns its {@link Data}."),
                "",
                "<p>Generated by jgql-maven-plugin from the schema and the operation, which was valid against it "
                        + "when generated: do not edit.",
                "",
                "@param variables the operation's variables"));
        code.line("public record " + name + "(Variables variables) implements TypedOperation<" + name + ".Data> {");
        code.indent++;
        code.javadoc(List.of("The document sent: the operation, {@code __typename} where types are abstract, "
                + "and the fragments it uses."));
        code.line("public static final String DOCUMENT = " + javaStringLines(document, code.indent + 2) + ";");
        code.blank();
        code.javadoc(List.of("The operation's name."));
        code.line("public static final String OPERATION_NAME = " + javaString(definition.getName()) + ";");
        code.blank();
        code.line("private static final GraphQLRequest REQUEST = Gql.gql(DOCUMENT, OPERATION_NAME);");
        code.blank();
        code.javadoc(List.of("The operation with these variables.", "", "@param variables the variables"));
        code.line("public " + name + " {");
        code.line("    Objects.requireNonNull(variables, \"variables\");");
        code.line("}");
        code.blank();
        List<String> ofDoc = new ArrayList<>();
        ofDoc.add("The operation with its required variables" + (optional.isEmpty() ? "." : "; the optional ones "
                + "are not sent (see {@link Variables#builder})."));
        ofDoc.add("");
        for (VariableDefinition variable : required) {
            ofDoc.add("@param " + memberName(variable.getName()) + " {@code $" + variable.getName() + "}");
        }
        ofDoc.add("@return the operation");
        code.javadoc(ofDoc);
        code.line("public static " + name + " of(" + String.join(", ", requiredParams) + ") {");
        code.line("    return new " + name + "(Variables.builder(" + String.join(", ", requiredArgs) + ").build());");
        code.line("}");
        code.blank();
        code.javadoc(List.of("The operation with these variables.", "", "@param variables the variables",
                "@return the operation"));
        code.line("public static " + name + " of(Variables variables) {");
        code.line("    return new " + name + "(variables);");
        code.line("}");
        code.blank();
        code.javadoc(List.of("@return the document, operation name and variables to send"));
        code.line("@Override");
        code.line("public GraphQLRequest request() {");
        code.line("    return REQUEST.withVariables(variables.toMap());");
        code.line("}");
        code.blank();
        code.javadoc(List.of("@return {@code Data.class}"));
        code.line("@Override");
        code.line("public Class<Data> dataType() {");
        code.line("    return Data.class;");
        code.line("}");
        code.blank();
        writeVariables(code, definition, required, optional);
        code.blank();
        Collected data = new Collected(Set.of(root), List.of(sent.getSelectionSet()));
        writeRecord(code, new TypeNode(node, "Data"), root, data, List.of(),
                "The data of the " + kind + ": what its selection asks of {@code " + root.getName() + "}.");
        code.indent--;
        code.line("}");
        writeFile(name, code, List.of("com.fasterxml.jackson.annotation.JsonSubTypes",
                "com.fasterxml.jackson.annotation.JsonTypeInfo", "dev.jgql.Gql", "dev.jgql.GraphQLRequest",
                "dev.jgql.TypedOperation", "java.util.Objects"));
    }

    private String variableType(VariableDefinition variable) {
        return inputType(variableSchemaType(variable));
    }

    private GraphQLType variableSchemaType(VariableDefinition variable) {
        return toSchemaType(variable.getType());
    }

    private GraphQLType toSchemaType(graphql.language.Type<?> type) {
        if (type instanceof graphql.language.NonNullType nonNull) {
            return GraphQLNonNull.nonNull(toSchemaType(nonNull.getType()));
        }
        if (type instanceof graphql.language.ListType list) {
            return GraphQLList.list(toSchemaType(list.getType()));
        }
        return schema.getType(((TypeName) type).getName());
    }

    private void writeVariables(Code code, OperationDefinition definition, List<VariableDefinition> required,
            List<VariableDefinition> optional) {
        List<String> doc = new ArrayList<>();
        doc.add("The variables of {@code " + definition.getName() + "}. A required variable is never null. An optional "
                + "one is {@code null} when absent (not sent: the server's default applies), {@link java.util.Optional#empty()} "
                + "when sent as null, and holds its value otherwise; {@link #builder} sets them.");
        doc.add("");
        List<String> components = new ArrayList<>();
        for (VariableDefinition variable : definition.getVariableDefinitions()) {
            String member = memberName(variable.getName());
            String type = variableType(variable);
            boolean isOptional = optional.contains(variable);
            components.add((isOptional ? "java.util.Optional<" + type + ">" : type) + " " + member);
            doc.add("@param " + member + " {@code $" + variable.getName() + ": " + javadocText(
                    graphql.language.AstPrinter.printAst(variable.getType())) + "}"
                    + (variable.getDefaultValue() == null ? "" : " (default: " + javadocText(
                    graphql.language.AstPrinter.printAst(variable.getDefaultValue())) + ")")
                    + (isOptional ? ", optional" : ""));
        }
        code.javadoc(doc);
        code.line("public record Variables(" + String.join(", ", components) + ") {");
        code.indent++;
        code.javadoc(List.of("Checks that the required variables are there."));
        code.line("public Variables {");
        for (VariableDefinition variable : required) {
            String member = memberName(variable.getName());
            code.line("    Objects.requireNonNull(" + member + ", \"" + variable.getName() + "\");");
        }
        code.line("}");
        code.blank();

        List<String> builderDoc = new ArrayList<>();
        builderDoc.add("A builder with the required variables; the optional ones are absent until set.");
        builderDoc.add("");
        List<String> params = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (VariableDefinition variable : required) {
            String member = memberName(variable.getName());
            builderDoc.add("@param " + member + " {@code $" + variable.getName() + "}");
            params.add(variableType(variable) + " " + member);
            args.add(member);
        }
        builderDoc.add("@return the builder");
        code.javadoc(builderDoc);
        code.line("public static Builder builder(" + String.join(", ", params) + ") {");
        code.line("    return new Builder(" + String.join(", ", args) + ");");
        code.line("}");
        code.blank();

        code.javadoc(List.of("@return the variables as the request sends them: absent ones left out, input objects "
                + "as maps, enums by name"));
        code.line("public java.util.Map<String, Object> toMap() {");
        code.line("    java.util.Map<String, Object> map$ = new java.util.LinkedHashMap<>();");
        for (VariableDefinition variable : definition.getVariableDefinitions()) {
            String member = memberName(variable.getName());
            GraphQLType type = variableSchemaType(variable);
            if (optional.contains(variable)) {
                String conversion = toVariable("value", type, 0);
                code.line("    if (" + member + " != null) {");
                code.line("        map$.put(" + javaString(variable.getName()) + ", " + (conversion.equals("value")
                        ? member + ".orElse(null)"
                        : member + ".map(value -> (Object) (" + conversion + ")).orElse(null)") + ");");
                code.line("    }");
            } else {
                code.line("    map$.put(" + javaString(variable.getName()) + ", " + toVariable(member, type, 0) + ");");
            }
        }
        code.line("    return map$;");
        code.line("}");
        code.blank();

        code.javadoc(List.of("Builds {@link Variables}: the required ones given at the start, the optional ones "
                + "absent until a setter is called (with {@code null} to send null)."));
        code.line("public static final class Builder {");
        code.indent++;
        for (VariableDefinition variable : required) {
            code.line("private final " + variableType(variable) + " " + memberName(variable.getName()) + ";");
        }
        for (VariableDefinition variable : optional) {
            code.line("private java.util.Optional<" + variableType(variable) + "> " + memberName(variable.getName()) + ";");
        }
        if (!definition.getVariableDefinitions().isEmpty()) {
            code.blank();
        }
        code.line("private Builder(" + String.join(", ", params) + ") {");
        for (VariableDefinition variable : required) {
            String member = memberName(variable.getName());
            code.line("    this." + member + " = " + member + ";");
        }
        code.line("}");
        for (VariableDefinition variable : optional) {
            String member = memberName(variable.getName());
            code.blank();
            code.javadoc(List.of("Sends {@code $" + variable.getName() + "}.", "",
                    "@param " + member + " its value, or {@code null} to send null",
                    "@return this builder"));
            code.line("public Builder " + member + "(" + variableType(variable) + " " + member + ") {");
            code.line("    this." + member + " = java.util.Optional.ofNullable(" + member + ");");
            code.line("    return this;");
            code.line("}");
        }
        code.blank();
        code.javadoc(List.of("@return the variables"));
        code.line("public Variables build() {");
        List<String> all = new ArrayList<>();
        definition.getVariableDefinitions().forEach(variable -> all.add(memberName(variable.getName())));
        code.line("    return new Variables(" + String.join(", ", all) + ");");
        code.line("}");
        code.indent--;
        code.line("}");
        code.indent--;
        code.line("}");
    }

    // ---------------------------------------------------------------- enums and inputs

    private void writeEnum(GraphQLEnumType type) {
        List<GraphQLEnumValueDefinition> values = new ArrayList<>(type.getValues());
        Set<String> constants = new LinkedHashSet<>();
        values.forEach(value -> constants.add(memberName(value.getName())));
        String unknown = "UNKNOWN";
        while (constants.contains(unknown)) {
            unknown += "_";
        }
        Code code = new Code();
        code.javadoc(List.of("The {@code " + type.getName() + "} enum of the schema"
                + (type.getDescription() == null ? "" : ": " + javadocText(type.getDescription())),
                "",
                "<p>A value the server sends that this code does not know (the schema gained it later) reads as {@link #"
                        + unknown + "}; sending that one fails."));
        code.line("public enum " + type.getName() + " {");
        code.indent++;
        for (GraphQLEnumValueDefinition value : values) {
            code.javadoc(List.of("{@code " + value.getName() + "}" + (value.getDescription() == null ? ""
                    : ": " + javadocText(value.getDescription()))
                    + (value.isDeprecated() ? " Deprecated: " + javadocText(String.valueOf(value.getDeprecationReason())) : "")));
            code.line(memberName(value.getName()) + "(" + javaString(value.getName()) + "),");
            code.blank();
        }
        code.javadoc(List.of("A value this code does not know: the server's schema is newer than the generated code."));
        code.line(unknown + "(null);");
        code.blank();
        code.line("private final String graphqlName;");
        code.blank();
        code.line(type.getName() + "(String graphqlName) {");
        code.line("    this.graphqlName = graphqlName;");
        code.line("}");
        code.blank();
        code.javadoc(List.of("@return the value's name in the schema",
                "@throws IllegalStateException for {@link #" + unknown + "}, which has none"));
        code.line("public String graphqlName() {");
        code.line("    if (graphqlName == null) {");
        code.line("        throw new IllegalStateException(\"" + type.getName() + "." + unknown
                + " stands for a value this code does not know: it cannot be sent\");");
        code.line("    }");
        code.line("    return graphqlName;");
        code.line("}");
        code.blank();
        // Jackson asks every constant for its @JsonValue up front: this one must not throw for UNKNOWN.
        code.javadoc(List.of("@return the name Jackson writes: the schema's, or the constant's for {@link #" + unknown + "}"));
        code.line("@JsonValue");
        code.line("String jsonValue() {");
        code.line("    return graphqlName == null ? name() : graphqlName;");
        code.line("}");
        code.blank();
        code.javadoc(List.of("The constant for a name the server sent.", "",
                "@param graphqlName the value's name in the schema",
                "@return its constant, {@link #" + unknown + "} for a name this code does not know"));
        code.line("@JsonCreator(mode = JsonCreator.Mode.DELEGATING)");
        code.line("public static " + type.getName() + " fromGraphqlName(String graphqlName) {");
        code.line("    for (" + type.getName() + " value : values()) {");
        code.line("        if (value.graphqlName != null && value.graphqlName.equals(graphqlName)) {");
        code.line("            return value;");
        code.line("        }");
        code.line("    }");
        code.line("    return " + unknown + ";");
        code.line("}");
        code.indent--;
        code.line("}");
        writeFile(type.getName(), code, List.of("com.fasterxml.jackson.annotation.JsonCreator",
                "com.fasterxml.jackson.annotation.JsonValue"));
    }

    private void writeInput(GraphQLInputObjectType type) {
        List<String> doc = new ArrayList<>();
        doc.add("The {@code " + type.getName() + "} input of the schema" + (type.getDescription() == null ? ""
                : ": " + javadocText(type.getDescription())) + ". A {@code null} component is left out of the "
                + "request (the server's default applies).");
        doc.add("");
        List<String> components = new ArrayList<>();
        List<GraphQLInputObjectField> required = new ArrayList<>();
        for (GraphQLInputObjectField field : type.getFieldDefinitions()) {
            String member = memberName(field.getName());
            components.add(inputType(field.getType()) + " " + member);
            if (field.getType() instanceof GraphQLNonNull && !field.hasSetDefaultValue()) {
                required.add(field);
            }
            doc.add("@param " + member + " {@code " + field.getName() + ": " + graphqlType(field.getType()) + "}"
                    + (field.getDescription() == null ? "" : ", " + javadocText(field.getDescription())));
        }
        Code code = new Code();
        code.javadoc(doc);
        code.line("public record " + type.getName() + "(" + String.join(", ", components) + ") {");
        code.indent++;
        code.javadoc(List.of("Checks that the required fields are there."));
        code.line("public " + type.getName() + " {");
        for (GraphQLInputObjectField field : required) {
            code.line("    Objects.requireNonNull(" + memberName(field.getName()) + ", \"" + field.getName() + "\");");
        }
        code.line("}");
        code.blank();
        code.javadoc(List.of("@return the fields as the request sends them: null ones left out, inputs as maps, "
                + "enums by name"));
        code.line("public java.util.Map<String, Object> toMap() {");
        code.line("    java.util.Map<String, Object> map$ = new java.util.LinkedHashMap<>();");
        for (GraphQLInputObjectField field : type.getFieldDefinitions()) {
            String member = memberName(field.getName());
            code.line("    if (" + member + " != null) {");
            code.line("        map$.put(" + javaString(field.getName()) + ", " + toVariable(member, field.getType(), 0) + ");");
            code.line("    }");
        }
        code.line("    return map$;");
        code.line("}");
        code.indent--;
        code.line("}");
        writeFile(type.getName(), code, List.of("java.util.Objects"));
    }

    // ---------------------------------------------------------------- text

    private void writeFile(String simpleName, Code body, List<String> imports) {
        StringBuilder text = new StringBuilder();
        text.append("// Generated by jgql-maven-plugin: do not edit.\n");
        if (!packageName.isEmpty()) {
            text.append("package ").append(packageName).append(";\n\n");
        }
        if (!imports.isEmpty()) {
            new TreeSet<>(imports).forEach(name -> text.append("import ").append(name).append(";\n"));
            text.append('\n');
        }
        text.append(body.text);
        String path = (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + simpleName + ".java";
        output.put(path, text.toString());
    }

    /** Lines of Java at an indentation. */
    private static final class Code {
        final StringBuilder text = new StringBuilder();
        int indent;

        void line(String line) {
            text.append("    ".repeat(indent)).append(line).append('\n');
        }

        void blank() {
            if (text.length() > 0 && !text.toString().endsWith("{\n") && !text.toString().endsWith("\n\n")) {
                text.append('\n');
            }
        }

        void append(Code other) {
            if (other.text.length() > 0 && text.length() > 0 && !text.toString().endsWith("{\n")
                    && !text.toString().endsWith("\n\n") && !other.text.toString().startsWith("\n")) {
                text.append('\n');
            }
            String more = other.text.toString();
            if (text.toString().endsWith("{\n") && more.startsWith("\n")) {
                more = more.substring(1);
            }
            text.append(more);
        }

        void javadoc(List<String> lines) {
            List<String> content = new ArrayList<>(lines);
            while (!content.isEmpty() && content.get(content.size() - 1).isEmpty()) {
                content.remove(content.size() - 1);
            }
            if (content.size() == 1 && !content.get(0).startsWith("@") && content.get(0).length() < 100) {
                line("/** " + content.get(0) + " */");
                return;
            }
            line("/**");
            content.forEach(line -> line(line.isEmpty() ? " *" : " * " + line));
            line(" */");
        }
    }

    /** Text from the schema made safe for Javadoc: no HTML, no tags, no end of comment. */
    static String javadocText(String text) {
        return text.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
                .replace("*/", "*&#47;").replace("{", "&#123;").replace("}", "&#125;")
                .replace("\\u", "&#92;u").replaceAll("\\s*\\R\\s*", " ");
    }

    static String javaString(String value) {
        StringBuilder literal = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> literal.append("\\\"");
                case '\\' -> literal.append("\\\\");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        literal.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('"').toString();
    }

    /** A multi-line string as one literal per line joined by {@code +}, each line keeping its newline. */
    private static String javaStringLines(String value, int indent) {
        String[] lines = value.split("\n", -1);
        if (lines.length == 1) {
            return javaString(value);
        }
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                literal.append("\n").append("    ".repeat(indent)).append("+ ");
            }
            literal.append(javaString(i + 1 < lines.length ? lines[i] + "\n" : lines[i]));
        }
        return literal.toString();
    }
}
