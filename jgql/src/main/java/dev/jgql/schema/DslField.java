package dev.jgql.schema;

import dev.jgql.GraphQLValidationException;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.Selection;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLImplementingType;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLTypeUtil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A field of an object or interface type, or the {@code __typename} meta-field, made by
 * {@link DslSchema#field} or {@link DslSchema#typename()}. Immutable: every method returns a new
 * field. Each argument value is checked against the argument's type when it is given, and a
 * selection when it is added; a field selected somewhere must be complete (the required arguments
 * given, a selection if its type is an object, interface or union).
 *
 * <pre>{@code
 * DslField continent = ds.field("Query", "continent")
 *         .alias("europe")                        // europe: continent(...)
 *         .arg("code", "EU")                      // checked as an ID!
 *         .select("code", "name")                 // fields of Continent, by name
 *         .select(ds.field("Continent", "countries").select("name").include(withCountries));
 * }</pre>
 *
 * <p>Defaults: no alias, no arguments (those with a default value in the schema take it on the
 * server), no directives, no selection.
 */
public final class DslField extends DslSelection {
    static final String TYPENAME = "__typename";

    private final DslSchema ds;
    /** The type the field belongs to; null for {@code __typename}, which every composite type has. */
    private final GraphQLFieldsContainer parent;
    private final GraphQLFieldDefinition definition;
    private final String alias;
    private final Map<String, Argument> arguments;
    /** The variables given as argument values, by argument name. */
    private final Map<String, DslVariable> argumentVariables;
    private final List<Directive> directives;
    private final List<DslVariable> directiveVariables;
    private final List<DslSelection> selections;

    DslField(DslSchema ds, GraphQLFieldsContainer parent, GraphQLFieldDefinition definition) {
        this(ds, parent, definition, null, Map.of(), Map.of(), List.of(), List.of(), List.of());
    }

    private DslField(DslSchema ds, GraphQLFieldsContainer parent, GraphQLFieldDefinition definition, String alias,
            Map<String, Argument> arguments, Map<String, DslVariable> argumentVariables, List<Directive> directives,
            List<DslVariable> directiveVariables, List<DslSelection> selections) {
        this.ds = ds;
        this.parent = parent;
        this.definition = definition;
        this.alias = alias;
        this.arguments = arguments;
        this.argumentVariables = argumentVariables;
        this.directives = directives;
        this.directiveVariables = directiveVariables;
        this.selections = selections;
    }

    /** @return the field's name, e.g. {@code "continent"} or {@code "__typename"} */
    public String name() {
        return definition == null ? TYPENAME : definition.getName();
    }

    /** @return the key of this field in the response data: its alias, or its name */
    public String responseKey() {
        return alias == null ? name() : alias;
    }

    /**
     * This field under an alias: the response has it under that key, so one field can be selected
     * several times with different arguments.
     *
     * @param alias a GraphQL name
     * @return the aliased field
     * @throws GraphQLValidationException if the alias is not a GraphQL name
     */
    public DslField alias(String alias) {
        return new DslField(ds, parent, definition, DslSupport.checkName(alias, "alias"), arguments, argumentVariables,
                directives, directiveVariables, selections);
    }

    /**
     * This field with an argument; a value given before for the same argument is replaced.
     *
     * @param name  the argument's name
     * @param value a {@link DslVariable}, or a value of the argument's type as Java gives it:
     *              {@code String}, {@code Integer}, {@code Boolean}, {@code Double}, an enum
     *              value's name, a {@code Map} for an input object, a {@code List}, {@code null}.
     *              It is converted with the schema's type (its scalar's coercion) into a literal.
     * @return the field with the argument
     * @throws GraphQLValidationException if the field has no such argument (the message lists its
     *                                    arguments) or the value does not fit the argument's type
     *                                    (the message names {@code Type.field(argument:)} and the
     *                                    expected type)
     */
    public DslField arg(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (definition == null) {
            throw new GraphQLValidationException("__typename takes no arguments");
        }
        GraphQLArgument argument = definition.getArgument(name);
        if (argument == null) {
            throw new GraphQLValidationException(where() + " has no argument '" + name + "'; "
                    + DslSupport.argumentNames(definition.getArguments()));
        }
        List<DslVariable> used = new ArrayList<>(1);
        Argument converted = DslSupport.argument(argument, value, where() + "(" + name + ":)", used);
        Map<String, Argument> newArguments = new LinkedHashMap<>(arguments);
        newArguments.put(name, converted);
        Map<String, DslVariable> newVariables = new LinkedHashMap<>(argumentVariables);
        newVariables.remove(name);
        if (!used.isEmpty()) {
            newVariables.put(name, used.get(0));
        }
        return new DslField(ds, parent, definition, alias, Collections.unmodifiableMap(newArguments),
                Collections.unmodifiableMap(newVariables), directives, directiveVariables, selections);
    }

    /**
     * This field with several arguments, as {@link #arg} each, in the map's order.
     *
     * @param arguments argument names and values
     * @return the field with the arguments
     */
    public DslField args(Map<String, ?> arguments) {
        Objects.requireNonNull(arguments, "arguments");
        DslField field = this;
        for (Map.Entry<String, ?> argument : arguments.entrySet()) {
            field = field.arg(argument.getKey(), argument.getValue());
        }
        return field;
    }

    /**
     * This field with more selected below it (added after those already selected).
     *
     * @param selections fields of the field's type (or of an interface it implements), named
     *                   fragments, inline fragments
     * @return the field with the selections
     * @throws GraphQLValidationException if this field is a leaf (scalar or enum), or a selection
     *                                    does not belong to the field's type or is incomplete
     */
    public DslField select(DslSelection... selections) {
        GraphQLCompositeType type = selectableType();
        return withSelections(DslSupport.append(this.selections, selections, type, where()));
    }

    /**
     * This field with fields of its type selected by name, {@code __typename} included: the
     * shortcut for fields without arguments or selections of their own.
     *
     * @param fieldNames names of fields of the field's type
     * @return the field with the selections
     * @throws GraphQLValidationException as {@link #select(DslSelection...)}, or if a name is not a
     *                                    field of the type (the message lists its fields)
     */
    public DslField select(String... fieldNames) {
        GraphQLCompositeType type = selectableType();
        return select(DslSupport.fieldsByName(ds, type, fieldNames, where()));
    }

    private DslField withSelections(List<DslSelection> newSelections) {
        return new DslField(ds, parent, definition, alias, arguments, argumentVariables, directives,
                directiveVariables, newSelections);
    }

    /**
     * This field with {@code @include(if: ...)}: the server resolves it only when the condition holds.
     *
     * @param condition a {@code Boolean!} variable
     * @return the field with the directive
     */
    public DslField include(DslVariable condition) {
        return directive("include", Map.of("if", condition));
    }

    /**
     * This field with {@code @include(if: true|false)}.
     *
     * @param condition whether to include the field
     * @return the field with the directive
     */
    public DslField include(boolean condition) {
        return directive("include", Map.of("if", condition));
    }

    /**
     * This field with {@code @skip(if: ...)}: the server leaves it out when the condition holds.
     *
     * @param condition a {@code Boolean!} variable
     * @return the field with the directive
     */
    public DslField skip(DslVariable condition) {
        return directive("skip", Map.of("if", condition));
    }

    /**
     * This field with {@code @skip(if: true|false)}.
     *
     * @param condition whether to skip the field
     * @return the field with the directive
     */
    public DslField skip(boolean condition) {
        return directive("skip", Map.of("if", condition));
    }

    /**
     * This field with a directive of the schema; its arguments are converted as field arguments
     * are. Whether the directive may be used on a field is checked when the operation is validated.
     *
     * @param name      the directive's name, with or without {@code @}
     * @param arguments its arguments (values or {@link DslVariable}s); empty for none
     * @return the field with the directive
     * @throws GraphQLValidationException if the schema has no such directive, or an argument is
     *                                    unknown, missing or of the wrong type
     */
    public DslField directive(String name, Map<String, ?> arguments) {
        List<DslVariable> used = new ArrayList<>(directiveVariables);
        Directive directive = DslSupport.directive(ds, name, arguments, used);
        List<Directive> newDirectives = new ArrayList<>(directives);
        newDirectives.add(directive);
        return new DslField(ds, parent, definition, alias, this.arguments, argumentVariables,
                List.copyOf(newDirectives), List.copyOf(used), selections);
    }

    /** The type below this field, or an error if it is a leaf. */
    private GraphQLCompositeType selectableType() {
        GraphQLNamedType type = definition == null ? null : (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(definition.getType());
        if (!(type instanceof GraphQLCompositeType composite)) {
            String typeText = definition == null ? "String!" : GraphQLTypeUtil.simplePrint(definition.getType());
            throw new GraphQLValidationException(where() + " is a leaf field of type " + typeText
                    + ": it has no fields to select");
        }
        return composite;
    }

    /** {@code Type.field}, for messages. */
    String where() {
        return parent == null ? TYPENAME : parent.getName() + "." + definition.getName();
    }

    @Override
    Selection<?> toAst() {
        Field.Builder field = Field.newField(name()).alias(alias)
                .arguments(new ArrayList<>(arguments.values()))
                .directives(directives);
        if (!selections.isEmpty()) {
            field.selectionSet(DslSupport.selectionSet(selections));
        }
        return field.build();
    }

    @Override
    void collect(DslSupport.Uses uses) {
        argumentVariables.values().forEach(uses::variable);
        directiveVariables.forEach(uses::variable);
        for (DslSelection selection : selections) {
            selection.collect(uses);
        }
    }

    @Override
    void checkSelectableOn(GraphQLCompositeType on, String owner) {
        if (definition != null && !belongsTo(on)) {
            String hint = on instanceof GraphQLFieldsContainer container
                    ? on.getName() + "'s fields are: " + DslSchema.fieldNames(container)
                    : on.getName() + " is a union: select __typename, or fields inside inline fragments on its members: "
                            + DslSupport.members(ds.graphQLSchema(), on);
            throw new GraphQLValidationException(where() + " cannot be selected in " + owner + ", which is of type "
                    + on.getName() + " (select it inside an inline fragment on " + parent.getName() + "); " + hint);
        }
        checkComplete();
    }

    /** Whether this field exists on {@code on}: {@code on} is its type, or implements it (interface fields). */
    private boolean belongsTo(GraphQLCompositeType on) {
        if (!(on instanceof GraphQLFieldsContainer container) || container.getFieldDefinition(name()) == null) {
            return false;
        }
        if (on.getName().equals(parent.getName())) {
            return true;
        }
        return on instanceof GraphQLImplementingType implementing && implementing.getInterfaces().stream()
                .map(GraphQLNamedOutputType::getName).anyMatch(parent.getName()::equals);
    }

    @Override
    void checkComplete() {
        if (definition == null) {
            return;
        }
        String missing = DslSupport.missingArguments(definition.getArguments(), arguments);
        if (!missing.isEmpty()) {
            throw new GraphQLValidationException(where() + " needs the argument(s) " + missing
                    + "; give them with arg(name, value)");
        }
        GraphQLNamedType type = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(definition.getType());
        if (type instanceof GraphQLCompositeType composite && selections.isEmpty()) {
            String choices = type instanceof GraphQLFieldsContainer container
                    ? "select at least one of its fields: " + DslSchema.fieldNames(container)
                    : "select __typename or inline fragments on its members: "
                            + DslSupport.members(ds.graphQLSchema(), composite);
            throw new GraphQLValidationException(where() + " is of type " + GraphQLTypeUtil.simplePrint(definition.getType())
                    + ", " + DslSupport.kind(type) + ": " + choices);
        }
    }
}
