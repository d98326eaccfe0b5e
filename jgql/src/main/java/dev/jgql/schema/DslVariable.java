package dev.jgql.schema;

import dev.jgql.GraphQLValidationException;
import graphql.language.AstPrinter;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;

import java.util.Objects;

/**
 * A variable of an operation, with its type and, optionally, a default value; made by
 * {@link DslSchema#variable}. Give it as an argument value ({@link DslField#arg}) or a directive
 * condition ({@link DslField#include(DslVariable)}); the operation declares every variable it
 * uses. Its value is given when the request is executed. Immutable.
 *
 * <pre>{@code
 * DslVariable code = ds.variable("code", "ID!");
 * DslVariable first = ds.variable("first", "Int").defaultValue(10);
 * GraphQLRequest request = ds.query("getContinent")
 *         .select(ds.field("Query", "continent").arg("code", code).select("name"))
 *         .toRequest();
 * session.execute(request, Map.of("code", "EU"));
 * }</pre>
 */
public final class DslVariable {
    private final String name;
    private final Type<?> type;
    private final GraphQLInputType inputType;
    private final Value<?> defaultValue;

    private DslVariable(String name, Type<?> type, GraphQLInputType inputType, Value<?> defaultValue) {
        this.name = name;
        this.type = type;
        this.inputType = inputType;
        this.defaultValue = defaultValue;
    }

    static DslVariable create(DslSchema ds, String name, String type) {
        DslSupport.checkName(name, "variable name");
        Objects.requireNonNull(type, "type");
        Type<?> parsed;
        try {
            parsed = Parser.parseType(type);
        } catch (InvalidSyntaxException e) {
            throw new GraphQLValidationException("The type of $" + name + ", '" + type
                    + "', is not a GraphQL type such as ID!, [String] or [Int!]!: " + e.getMessage());
        }
        return new DslVariable(name, parsed, inputType(ds, parsed), null);
    }

    private static GraphQLInputType inputType(DslSchema ds, Type<?> type) {
        if (type instanceof NonNullType nonNull) {
            return GraphQLNonNull.nonNull(inputType(ds, nonNull.getType()));
        } else if (type instanceof ListType list) {
            return GraphQLList.list(inputType(ds, list.getType()));
        }
        return ds.inputType(((TypeName) type).getName());
    }

    /**
     * This variable with a default value, used when the request gives none.
     *
     * @param value a value of the variable's type, converted as argument values are
     * @return the variable with the default
     * @throws GraphQLValidationException if the value does not fit the variable's type
     */
    public DslVariable defaultValue(Object value) {
        return new DslVariable(name, type, inputType, DslSupport.literal(value, inputType, "The default value of $" + name));
    }

    /** @return the name, without {@code $} */
    public String name() {
        return name;
    }

    /** @return the type as GraphQL text, e.g. {@code "ID!"} */
    public String type() {
        return AstPrinter.printAst(type);
    }

    VariableReference reference() {
        return VariableReference.of(name);
    }

    VariableDefinition definition() {
        return VariableDefinition.newVariableDefinition(name, type, defaultValue).build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DslVariable that && toString().equals(that.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** @return the definition as GraphQL text, e.g. {@code $first: Int = 10} */
    @Override
    public String toString() {
        return DslSupport.print(definition());
    }
}
