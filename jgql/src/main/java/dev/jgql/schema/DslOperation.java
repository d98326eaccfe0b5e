package dev.jgql.schema;

import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.GraphQLValidationException;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLObjectType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A query, mutation or subscription being built, made by {@link DslSchema#query},
 * {@link DslSchema#mutation} or {@link DslSchema#subscription}; {@link #toRequest()} turns it into
 * a {@link GraphQLRequest} to execute or subscribe to. Immutable: every method returns a new
 * operation.
 *
 * <pre>{@code
 * DslVariable by = ds.variable("by", "Int!");
 * GraphQLRequest increment = ds.mutation("increment")
 *         .select(ds.field("Mutation", "increment").arg("by", by))
 *         .toRequest();
 * session.execute(increment, Map.of("by", 2));
 * }</pre>
 *
 * <p>The variables it uses (in arguments and directives, its fragments' included) are declared
 * automatically, in the order they are first used; {@link #variables} declares some first, or
 * declares one that nothing uses yet. Named fragments are added to the document, after the
 * operation, in the order they are first spread.
 */
public final class DslOperation {
    private final DslSchema ds;
    private final OperationDefinition.Operation kind;
    private final GraphQLObjectType root;
    private final String name;
    private final List<DslVariable> variables;
    private final List<DslSelection> selections;

    DslOperation(DslSchema ds, OperationDefinition.Operation kind, GraphQLObjectType root, String name) {
        this(ds, kind, root, name, List.of(), List.of());
    }

    private DslOperation(DslSchema ds, OperationDefinition.Operation kind, GraphQLObjectType root, String name,
            List<DslVariable> variables, List<DslSelection> selections) {
        this.ds = ds;
        this.kind = kind;
        this.root = root;
        this.name = name;
        this.variables = variables;
        this.selections = selections;
    }

    /**
     * This operation declaring these variables first, before those it finds in its selections.
     *
     * @param variables variables of the operation
     * @return the operation with the declarations
     */
    public DslOperation variables(DslVariable... variables) {
        Objects.requireNonNull(variables, "variables");
        List<DslVariable> all = new ArrayList<>(this.variables);
        for (DslVariable variable : variables) {
            all.add(Objects.requireNonNull(variable, "variable"));
        }
        return new DslOperation(ds, kind, root, name, Collections.unmodifiableList(all), selections);
    }

    /**
     * This operation with more selected (added after those already selected).
     *
     * @param selections fields of the root type ({@code Query}, {@code Mutation} or
     *                   {@code Subscription}), fragments on it, inline fragments
     * @return the operation with the selections
     * @throws GraphQLValidationException if a selection does not belong to the root type or is incomplete
     */
    public DslOperation select(DslSelection... selections) {
        return new DslOperation(ds, kind, root, name, variables,
                DslSupport.append(this.selections, selections, root, where()));
    }

    /**
     * This operation with fields of the root type selected by name: for fields without
     * arguments that return a scalar, e.g. {@code select("counter")}.
     *
     * @param fieldNames names of fields of the root type
     * @return the operation with the selections
     * @throws GraphQLValidationException if a name is not a field of the root type, or the field
     *                                    needs arguments or a selection
     */
    public DslOperation select(String... fieldNames) {
        return select(DslSupport.fieldsByName(ds, root, fieldNames, where()));
    }

    private String where() {
        return "the " + kind.name().toLowerCase(java.util.Locale.ROOT) + (name == null ? "" : " " + name);
    }

    /**
     * The operation as a graphql-java document: the operation, then the named fragments it uses.
     *
     * @return the document
     * @throws GraphQLValidationException if the operation selects nothing, or two different
     *                                    variables or fragments have the same name
     */
    public Document toDocument() {
        if (selections.isEmpty()) {
            throw new GraphQLValidationException(where() + " selects nothing: select at least one field of "
                    + root.getName() + ": " + DslSchema.fieldNames(root));
        }
        DslSupport.Uses uses = new DslSupport.Uses();
        variables.forEach(uses::variable);
        selections.forEach(selection -> selection.collect(uses));
        OperationDefinition operation = OperationDefinition.newOperationDefinition()
                .name(name)
                .operation(kind)
                .variableDefinitions(uses.variables.values().stream().map(DslVariable::definition).toList())
                .selectionSet(DslSupport.selectionSet(selections))
                .build();
        List<Definition> definitions = new ArrayList<>();
        definitions.add(operation);
        uses.fragments.values().forEach(fragment -> definitions.add(fragment.definition()));
        return Document.newDocument().definitions(definitions).build();
    }

    /**
     * The request: the document printed as GraphQL text, parsed and validated against the schema
     * as a whole. It carries no variable values: give them when executing.
     *
     * @return the request, with the operation name when the operation has one
     * @throws GraphQLValidationException as {@link #toDocument()}, or with every problem the
     *                                    schema's validation finds (e.g. a variable of the wrong
     *                                    type for its argument, a directive where it is not allowed)
     */
    public GraphQLRequest toRequest() {
        String text = AstPrinter.printAst(toDocument());
        GraphQLRequest request = name == null ? Gql.gql(text) : Gql.gql(text, name);
        ds.schema().validate(request);
        return request;
    }

    /** @return the document as GraphQL text, as {@link #toRequest()} would send it (or why there is none yet) */
    @Override
    public String toString() {
        try {
            return AstPrinter.printAst(toDocument());
        } catch (GraphQLValidationException incomplete) {
            return where() + " (incomplete: " + incomplete.getMessage() + ")";
        }
    }
}
