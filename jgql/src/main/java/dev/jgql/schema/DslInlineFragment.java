package dev.jgql.schema;

import dev.jgql.GraphQLValidationException;
import graphql.language.Directive;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.TypeName;
import graphql.schema.GraphQLCompositeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An inline fragment, made by {@link DslSchema#inlineFragment(String)}: fields that apply only
 * when the object is of one type ({@code ... on Type { ... }}), for interfaces and unions; or,
 * without a type condition ({@link DslSchema#inlineFragment()}), a group of fields under one
 * directive. Immutable.
 *
 * <pre>{@code
 * DslField search = ds.field("Query", "search").arg("text", "an")
 *         .select(ds.typename(),
 *                 ds.inlineFragment("Country").select("code", "capital"),
 *                 ds.inlineFragment("Language").select("native"));
 * }</pre>
 *
 * <p>Defaults: no directives, no selection.
 */
public final class DslInlineFragment extends DslSelection {
    private final DslSchema ds;
    /** The type condition; null for none, when the fields are checked against where the fragment is selected. */
    private final GraphQLCompositeType on;
    private final List<Directive> directives;
    private final List<DslVariable> directiveVariables;
    private final List<DslSelection> selections;

    DslInlineFragment(DslSchema ds, GraphQLCompositeType on) {
        this(ds, on, List.of(), List.of(), List.of());
    }

    private DslInlineFragment(DslSchema ds, GraphQLCompositeType on, List<Directive> directives,
            List<DslVariable> directiveVariables, List<DslSelection> selections) {
        this.ds = ds;
        this.on = on;
        this.directives = directives;
        this.directiveVariables = directiveVariables;
        this.selections = selections;
    }

    /**
     * This inline fragment with more selected in it (added after those already selected).
     *
     * @param selections fields of the type condition (of the enclosing type, without one),
     *                   fragments, inline fragments
     * @return the inline fragment with the selections
     * @throws GraphQLValidationException if a selection does not belong to the type or is incomplete
     */
    public DslInlineFragment select(DslSelection... selections) {
        return new DslInlineFragment(ds, on, directives, directiveVariables,
                DslSupport.append(this.selections, selections, on, where()));
    }

    /**
     * This inline fragment with fields of its type condition selected by name.
     *
     * @param fieldNames names of fields of the type condition
     * @return the inline fragment with the selections
     * @throws GraphQLValidationException if the fragment has no type condition, or a name is not a
     *                                    field of the type (the message lists them)
     */
    public DslInlineFragment select(String... fieldNames) {
        if (on == null) {
            throw new GraphQLValidationException("An inline fragment without a type condition cannot select fields by name: "
                    + "select ds.field(type, name) values, or give it a type with ds.inlineFragment(type)");
        }
        return select(DslSupport.fieldsByName(ds, on, fieldNames, where()));
    }

    /**
     * This inline fragment with {@code @include(if: $condition)}.
     *
     * @param condition a {@code Boolean!} variable
     * @return the inline fragment with the directive
     */
    public DslInlineFragment include(DslVariable condition) {
        return directive("include", Map.of("if", condition));
    }

    /**
     * This inline fragment with {@code @skip(if: $condition)}.
     *
     * @param condition a {@code Boolean!} variable
     * @return the inline fragment with the directive
     */
    public DslInlineFragment skip(DslVariable condition) {
        return directive("skip", Map.of("if", condition));
    }

    /**
     * This inline fragment with a directive of the schema, as {@link DslField#directive}.
     *
     * @param name      the directive's name, with or without {@code @}
     * @param arguments its arguments; empty for none
     * @return the inline fragment with the directive
     * @throws GraphQLValidationException if the schema has no such directive, or an argument is
     *                                    unknown, missing or of the wrong type
     */
    public DslInlineFragment directive(String name, Map<String, ?> arguments) {
        List<DslVariable> used = new ArrayList<>(directiveVariables);
        List<Directive> newDirectives = new ArrayList<>(directives);
        newDirectives.add(DslSupport.directive(ds, name, arguments, used));
        return new DslInlineFragment(ds, on, List.copyOf(newDirectives), List.copyOf(used), selections);
    }

    private String where() {
        return on == null ? "inline fragment" : "inline fragment on " + on.getName();
    }

    @Override
    Selection<?> toAst() {
        InlineFragment.Builder fragment = InlineFragment.newInlineFragment()
                .directives(directives)
                .selectionSet(DslSupport.selectionSet(selections));
        if (on != null) {
            fragment.typeCondition(TypeName.newTypeName(on.getName()).build());
        }
        return fragment.build();
    }

    @Override
    void collect(DslSupport.Uses uses) {
        directiveVariables.forEach(uses::variable);
        for (DslSelection selection : selections) {
            selection.collect(uses);
        }
    }

    @Override
    void checkSelectableOn(GraphQLCompositeType type, String owner) {
        checkComplete();
        if (on == null) {
            for (DslSelection selection : selections) {
                selection.checkSelectableOn(type, owner);
            }
        } else if (!DslSupport.overlap(ds.graphQLSchema(), type, on)) {
            throw new GraphQLValidationException("The " + where() + " cannot be selected in " + owner
                    + ", which is of type " + type.getName() + ": no object is both " + type.getName() + " and "
                    + on.getName() + " (" + type.getName() + " can be: " + DslSupport.members(ds.graphQLSchema(), type) + ")");
        }
    }

    @Override
    void checkComplete() {
        if (selections.isEmpty()) {
            throw new GraphQLValidationException("The " + where() + " selects nothing: select at least one field in it");
        }
    }
}
