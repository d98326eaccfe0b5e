package dev.jgql.schema;

import graphql.language.Selection;
import graphql.schema.GraphQLCompositeType;

/**
 * Something that can be selected in a selection set: a {@link DslField}, a named
 * {@link DslFragment} (selected as a spread, {@code ...Name}) or a {@link DslInlineFragment}.
 * Immutable.
 *
 * <pre>{@code
 * DslSelection name = ds.field("Country", "name");
 * DslSelection parts = ds.fragment("CountryParts", "Country").select("code", "capital");
 * DslField country = ds.field("Query", "country").arg("code", "FR").select(name, parts);
 * }</pre>
 */
public abstract sealed class DslSelection permits DslField, DslFragment, DslInlineFragment {

    DslSelection() {
    }

    /** The selection as graphql-java syntax. */
    abstract Selection<?> toAst();

    /** Records the variables and named fragments this selection uses, its own and its children's. */
    abstract void collect(DslSupport.Uses uses);

    /**
     * Throws {@link dev.jgql.GraphQLValidationException} unless this selection is complete and may
     * be selected on {@code on}; {@code owner} names the selection set in the message.
     */
    abstract void checkSelectableOn(GraphQLCompositeType on, String owner);

    /** Throws {@link dev.jgql.GraphQLValidationException} unless this selection is complete. */
    abstract void checkComplete();

    /** @return the selection as GraphQL text, on one line */
    @Override
    public String toString() {
        return DslSupport.print(toAst());
    }
}
