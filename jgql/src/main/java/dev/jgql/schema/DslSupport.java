package dev.jgql.schema;

import dev.jgql.GraphQLValidationException;
import graphql.GraphQLContext;
import graphql.execution.ValuesResolver;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.Node;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLDirective;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.schema.InputValueWithState;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.visibility.DefaultGraphqlFieldVisibility;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the DSL values share: name checks, value conversion, directives, selection checks. */
final class DslSupport {
    private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

    private DslSupport() {
    }

    static String checkName(String name, String what) {
        java.util.Objects.requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new GraphQLValidationException("'" + name + "' is not a valid " + what
                    + ": a GraphQL name is a letter or _ followed by letters, digits or _");
        }
        return name;
    }

    /** "an object type", "a scalar", ...: for messages. */
    static String kind(GraphQLNamedType type) {
        if (type instanceof GraphQLObjectType) {
            return "an object type";
        } else if (type instanceof GraphQLInterfaceType) {
            return "an interface";
        } else if (type instanceof GraphQLUnionType) {
            return "a union";
        } else if (type instanceof GraphQLEnumType) {
            return "an enum";
        } else if (type instanceof GraphQLInputObjectType) {
            return "an input object";
        } else if (type instanceof GraphQLScalarType) {
            return "a scalar";
        }
        return "a " + type.getClass().getSimpleName();
    }

    /** A node as GraphQL text, on one line: for messages and toString. */
    static String print(Node<?> node) {
        // The pretty form with its line breaks folded reads better than printAstCompact's, which drops every space.
        return AstPrinter.printAst(node).strip().replaceAll("\\s*\n\\s*", " ");
    }

    // ------------------------------------------------------------------ values

    /**
     * An argument or default value as a GraphQL literal, checked and converted by graphql-java
     * with the input type's own coercion (scalars' parseValue and valueToLiteral, enum names,
     * input object fields, lists, non-null).
     *
     * @param where what the value is for, e.g. {@code Query.continent(code:)}, for the message
     */
    static Value<?> literal(Object value, GraphQLInputType type, String where) {
        if (containsVariable(value)) {
            throw new GraphQLValidationException(where + ": a variable can only be a whole argument value, "
                    + "not part of a list or input object; make the whole value a variable of type "
                    + GraphQLTypeUtil.simplePrint(type));
        }
        GraphQLType bare = GraphQLTypeUtil.unwrapNonNull(type);
        if ((value instanceof Map || value instanceof Collection) && (bare instanceof GraphQLEnumType
                || bare instanceof GraphQLScalarType scalar && ScalarInfo.isGraphqlSpecifiedScalar(scalar.getName()))) {
            // graphql-java's ID and String coercions would take the list's or map's toString
            throw new GraphQLValidationException(where + " expects " + GraphQLTypeUtil.simplePrint(type) + ", not "
                    + describe(value) + ": a " + (value instanceof Map ? "map" : "list") + " is not a single value");
        }
        GraphQLContext context = GraphQLContext.getDefault();
        try {
            // Checks the value as graphql-java checks variables: wrong scalar, unknown enum value,
            // unknown or missing input field, null for a non-null type.
            ValuesResolver.externalValueToInternalValue(DefaultGraphqlFieldVisibility.DEFAULT_FIELD_VISIBILITY, value,
                    type, context, Locale.ENGLISH);
        } catch (RuntimeException e) {
            throw new GraphQLValidationException(where + " expects " + GraphQLTypeUtil.simplePrint(type) + ", not "
                    + describe(value) + ": " + e.getMessage());
        }
        try {
            return ValuesResolver.valueToLiteral(InputValueWithState.newExternalValue(value), type, context, Locale.ENGLISH);
        } catch (UnsupportedOperationException noLiteral) {
            // A custom scalar whose coercing cannot print literals (e.g. one from SDL only): its
            // value goes into the document as the JSON-like value it is.
            return plainLiteral(value);
        }
    }

    private static boolean containsVariable(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(item -> item instanceof DslVariable || containsVariable(item));
        }
        if (value instanceof Collection<?> list) {
            return list.stream().anyMatch(item -> item instanceof DslVariable || containsVariable(item));
        }
        return false;
    }

    private static Value<?> plainLiteral(Object value) {
        if (value == null) {
            return NullValue.of();
        } else if (value instanceof Boolean bool) {
            return BooleanValue.of(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            return new IntValue(new BigInteger(value.toString()));
        } else if (value instanceof Number number) {
            return new FloatValue(new BigDecimal(number.toString()));
        } else if (value instanceof Map<?, ?> map) {
            List<ObjectField> fields = new ArrayList<>();
            map.forEach((key, item) -> fields.add(new ObjectField(String.valueOf(key), plainLiteral(item))));
            return ObjectValue.newObjectValue().objectFields(fields).build();
        } else if (value instanceof Collection<?> list) {
            return ArrayValue.newArrayValue().values(list.stream().<Value>map(DslSupport::plainLiteral).toList()).build();
        }
        return StringValue.of(value.toString());
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof String ? '"' + value.toString() + '"' : value.toString();
        if (text.length() > 60) {
            text = text.substring(0, 60) + "…";
        }
        return text + " (" + value.getClass().getSimpleName() + ")";
    }

    /**
     * An argument of a field or directive: a {@link DslVariable} becomes a reference to it (and
     * is recorded in {@code variables}), anything else a literal of the argument's type.
     */
    static Argument argument(GraphQLArgument definition, Object value, String where, List<DslVariable> variables) {
        if (value instanceof DslVariable variable) {
            variables.add(variable);
            return new Argument(definition.getName(), variable.reference());
        }
        return new Argument(definition.getName(), literal(value, definition.getType(), where));
    }

    static String argumentNames(List<GraphQLArgument> arguments) {
        if (arguments.isEmpty()) {
            return "it takes none";
        }
        return "its arguments are: " + arguments.stream()
                .map(argument -> argument.getName() + ": " + GraphQLTypeUtil.simplePrint(argument.getType()))
                .collect(Collectors.joining(", "));
    }

    /** The required arguments (non-null, no default) that are missing, for a message; empty if none. */
    static String missingArguments(List<GraphQLArgument> definitions, Map<String, ?> given) {
        return definitions.stream()
                .filter(argument -> argument.getType() instanceof GraphQLNonNull && !argument.hasSetDefaultValue())
                .filter(argument -> !given.containsKey(argument.getName()))
                .map(argument -> argument.getName() + ": " + GraphQLTypeUtil.simplePrint(argument.getType()))
                .collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ directives

    /** A directive of the schema with its arguments converted; variables used are added to {@code variables}. */
    static Directive directive(DslSchema ds, String name, Map<String, ?> arguments, List<DslVariable> variables) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(arguments, "arguments");
        String bare = name.startsWith("@") ? name.substring(1) : name;
        GraphQLDirective definition = ds.graphQLSchema().getDirective(bare);
        if (definition == null) {
            throw new GraphQLValidationException("The schema has no directive @" + bare + "; its directives are: "
                    + ds.graphQLSchema().getDirectives().stream().map(directive -> "@" + directive.getName())
                            .sorted().collect(Collectors.joining(", ")));
        }
        List<Argument> converted = new ArrayList<>();
        arguments.forEach((argumentName, value) -> {
            GraphQLArgument argument = definition.getArgument(argumentName);
            if (argument == null) {
                throw new GraphQLValidationException("Directive @" + bare + " has no argument '" + argumentName + "'; "
                        + argumentNames(definition.getArguments()));
            }
            converted.add(argument(argument, value, "@" + bare + "(" + argumentName + ":)", variables));
        });
        String missing = missingArguments(definition.getArguments(), arguments);
        if (!missing.isEmpty()) {
            throw new GraphQLValidationException("Directive @" + bare + " needs the argument(s) " + missing);
        }
        return Directive.newDirective().name(bare).arguments(converted).build();
    }

    // ------------------------------------------------------------------ selections

    /**
     * {@code current} with {@code more} appended, each checked to be selectable on {@code on}
     * (and complete); {@code owner} names the selection set in messages.
     */
    static List<DslSelection> append(List<DslSelection> current, DslSelection[] more, GraphQLCompositeType on,
            String owner) {
        java.util.Objects.requireNonNull(more, "selections");
        List<DslSelection> all = new ArrayList<>(current);
        for (DslSelection selection : more) {
            java.util.Objects.requireNonNull(selection, "selection");
            if (on != null) {
                selection.checkSelectableOn(on, owner);
            } else {
                selection.checkComplete();
            }
            all.add(selection);
        }
        return Collections.unmodifiableList(all);
    }

    /** Fields of {@code on} by name, {@code __typename} included. */
    static DslSelection[] fieldsByName(DslSchema ds, GraphQLCompositeType on, String[] names, String owner) {
        java.util.Objects.requireNonNull(names, "fieldNames");
        DslSelection[] fields = new DslSelection[names.length];
        for (int i = 0; i < names.length; i++) {
            String name = java.util.Objects.requireNonNull(names[i], "fieldName");
            if (DslField.TYPENAME.equals(name)) {
                fields[i] = ds.typename();
            } else if (on instanceof graphql.schema.GraphQLFieldsContainer container) {
                fields[i] = ds.field(container.getName(), name);
            } else {
                throw new GraphQLValidationException(owner + " is the union " + on.getName() + ", which has no field '"
                        + name + "': select __typename, or fields inside inline fragments on its members: "
                        + members(ds.graphQLSchema(), on));
            }
        }
        return fields;
    }

    static SelectionSet selectionSet(List<DslSelection> selections) {
        return SelectionSet.newSelectionSet().selections(selections.stream().<graphql.language.Selection>map(
                DslSelection::toAst).toList()).build();
    }

    /** Whether some object type can be both {@code a} and {@code b}: where a fragment on one may be spread in the other. */
    static boolean overlap(GraphQLSchema schema, GraphQLCompositeType a, GraphQLCompositeType b) {
        if (a.getName().equals(b.getName())) {
            return true;
        }
        Set<String> possible = new HashSet<>(possibleTypes(schema, a));
        return possibleTypes(schema, b).stream().anyMatch(possible::contains);
    }

    private static List<String> possibleTypes(GraphQLSchema schema, GraphQLCompositeType type) {
        if (type instanceof GraphQLInterfaceType anInterface) {
            return schema.getImplementations(anInterface).stream().map(GraphQLObjectType::getName).toList();
        } else if (type instanceof GraphQLUnionType union) {
            return union.getTypes().stream().map(GraphQLNamedType::getName).toList();
        }
        return List.of(type.getName());
    }

    static String members(GraphQLSchema schema, GraphQLCompositeType type) {
        return String.join(", ", possibleTypes(schema, type));
    }

    /** The variables and named fragments an operation uses, each once, checked for clashes. */
    static final class Uses {
        final Map<String, DslVariable> variables = new LinkedHashMap<>();
        final Map<String, DslFragment> fragments = new LinkedHashMap<>();
        private final Map<String, String> fragmentTexts = new LinkedHashMap<>();

        void variable(DslVariable variable) {
            DslVariable known = variables.putIfAbsent(variable.name(), variable);
            if (known != null && !known.equals(variable)) {
                throw new GraphQLValidationException("Two different variables are named $" + variable.name() + ": "
                        + known + " and " + variable + "; give them different names");
            }
        }

        /** @return whether the fragment is new (its own uses still to collect) */
        boolean fragment(DslFragment fragment) {
            String text = print(fragment.definition());
            String known = fragmentTexts.putIfAbsent(fragment.name(), text);
            if (known == null) {
                fragments.put(fragment.name(), fragment);
                return true;
            }
            if (!known.equals(text)) {
                throw new GraphQLValidationException("Two different fragments are named " + fragment.name() + ":\n  "
                        + known + "\n  " + text + "\ngive them different names");
            }
            return false;
        }
    }
}
