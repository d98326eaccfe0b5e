package dev.jgql.schema;

import dev.jgql.GraphQLValidationException;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.Selection;
import graphql.language.TypeName;
import graphql.schema.GraphQLCompositeType;

import java.util.List;

/**
 * A named fragment, made by {@link DslSchema#fragment}: a selection on a type that several places
 * can share. Selecting it spreads it ({@code ...CountryParts}); the operation's document gets its
 * definition automatically, once however often it is spread, together with the fragments it uses
 * itself. Immutable.
 *
 * <pre>{@code
 * DslFragment parts = ds.fragment("CountryParts", "Country").select("code", "name", "capital");
 * GraphQLRequest request = ds.query("twoCountries")
 *         .select(ds.field("Query", "country").alias("fr").arg("code", "FR").select(parts),
 *                 ds.field("Query", "country").alias("de").arg("code", "DE").select(parts))
 *         .toRequest();
 * // query twoCountries { fr: country(code: "FR") { ...CountryParts } de: ... }
 * // fragment CountryParts on Country { code name capital }
 * }</pre>
 */
public final class DslFragment extends DslSelection {
    private final DslSchema ds;
    private final String name;
    private final GraphQLCompositeType on;
    private final List<DslSelection> selections;

    DslFragment(DslSchema ds, String name, GraphQLCompositeType on) {
        this(ds, name, on, List.of());
    }

    private DslFragment(DslSchema ds, String name, GraphQLCompositeType on, List<DslSelection> selections) {
        this.ds = ds;
        this.name = name;
        this.on = on;
        this.selections = selections;
    }

    /** @return the fragment's name */
    public String name() {
        return name;
    }

    /** @return the name of the type the fragment is on */
    public String typeCondition() {
        return on.getName();
    }

    /**
     * This fragment with more selected in it (added after those already selected).
     *
     * @param selections fields of the fragment's type, fragments, inline fragments
     * @return the fragment with the selections
     * @throws GraphQLValidationException if a selection does not belong to the type or is incomplete
     */
    public DslFragment select(DslSelection... selections) {
        return new DslFragment(ds, name, on, DslSupport.append(this.selections, selections, on, where()));
    }

    /**
     * This fragment with fields of its type selected by name, {@code __typename} included.
     *
     * @param fieldNames names of fields of the fragment's type
     * @return the fragment with the selections
     * @throws GraphQLValidationException if a name is not a field of the type (the message lists them)
     */
    public DslFragment select(String... fieldNames) {
        return select(DslSupport.fieldsByName(ds, on, fieldNames, where()));
    }

    private String where() {
        return "fragment " + name + " on " + on.getName();
    }

    FragmentDefinition definition() {
        return FragmentDefinition.newFragmentDefinition().name(name).typeCondition(TypeName.newTypeName(on.getName()).build())
                .selectionSet(DslSupport.selectionSet(selections)).build();
    }

    /** @return the spread of this fragment, {@code ...Name}; the definition is {@link #definitionText()} */
    @Override
    Selection<?> toAst() {
        return FragmentSpread.newFragmentSpread(name).build();
    }

    /** @return the fragment's definition as GraphQL text, on one line */
    public String definitionText() {
        return DslSupport.print(definition());
    }

    @Override
    void collect(DslSupport.Uses uses) {
        if (uses.fragment(this)) {
            for (DslSelection selection : selections) {
                selection.collect(uses);
            }
        }
    }

    @Override
    void checkSelectableOn(GraphQLCompositeType type, String owner) {
        checkComplete();
        if (!DslSupport.overlap(ds.graphQLSchema(), type, on)) {
            throw new GraphQLValidationException("The " + where() + " cannot be spread in " + owner + ", which is of type "
                    + type.getName() + ": no object is both " + type.getName() + " and " + on.getName());
        }
    }

    @Override
    void checkComplete() {
        if (selections.isEmpty()) {
            throw new GraphQLValidationException("The " + where() + " selects nothing: select fields of " + on.getName()
                    + " in it before using it");
        }
    }
}
