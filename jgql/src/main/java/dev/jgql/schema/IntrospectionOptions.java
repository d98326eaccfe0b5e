package dev.jgql.schema;

import graphql.introspection.IntrospectionQueryBuilder;

/**
 * Which parts of the schema an introspection query asks for: the counterpart of gql's
 * {@code introspection_args}. Immutable; the defaults are gql's (version 4): descriptions and
 * deprecated input values on, the newer fields off, so that older servers answer too.
 *
 * <pre>{@code
 * IntrospectionOptions options = IntrospectionOptions.builder()
 *     .specifiedByUrl(true)
 *     .directiveIsRepeatable(true)
 *     .build();
 * Client client = Client.builder().transport(http)
 *     .fetchSchemaFromTransport(true)
 *     .introspectionOptions(options)
 *     .build();
 * }</pre>
 */
public final class IntrospectionOptions {
    private static final IntrospectionOptions DEFAULTS = builder().build();

    private final boolean descriptions;
    private final boolean specifiedByUrl;
    private final boolean directiveIsRepeatable;
    private final boolean schemaDescription;
    private final boolean inputValueDeprecation;
    private final boolean oneOf;
    private final int typeRecursionLevel;

    private IntrospectionOptions(Builder builder) {
        this.descriptions = builder.descriptions;
        this.specifiedByUrl = builder.specifiedByUrl;
        this.directiveIsRepeatable = builder.directiveIsRepeatable;
        this.schemaDescription = builder.schemaDescription;
        this.inputValueDeprecation = builder.inputValueDeprecation;
        this.oneOf = builder.oneOf;
        this.typeRecursionLevel = builder.typeRecursionLevel;
    }

    /** @return the default options (see the class comment) */
    public static IntrospectionOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the introspection query these options ask for */
    public String query() {
        return IntrospectionQueryBuilder.build(IntrospectionQueryBuilder.Options.defaultOptions()
                .descriptions(descriptions)
                .specifiedByUrl(specifiedByUrl)
                .directiveIsRepeatable(directiveIsRepeatable)
                .schemaDescription(schemaDescription)
                .inputValueDeprecation(inputValueDeprecation)
                .isOneOf(oneOf)
                .typeRefFragmentDepth(typeRecursionLevel));
    }

    @Override
    public String toString() {
        return "IntrospectionOptions{descriptions=" + descriptions + ", specifiedByUrl=" + specifiedByUrl
                + ", directiveIsRepeatable=" + directiveIsRepeatable + ", schemaDescription=" + schemaDescription
                + ", inputValueDeprecation=" + inputValueDeprecation + ", oneOf=" + oneOf
                + ", typeRecursionLevel=" + typeRecursionLevel + '}';
    }

    /** Builds {@link IntrospectionOptions}. Not thread-safe. */
    public static final class Builder {
        private boolean descriptions = true;
        private boolean specifiedByUrl;
        private boolean directiveIsRepeatable;
        private boolean schemaDescription;
        private boolean inputValueDeprecation = true;
        private boolean oneOf;
        private int typeRecursionLevel = 7;

        private Builder() {
        }

        /** Ask for the descriptions of types, fields and arguments. Default {@code true}. */
        public Builder descriptions(boolean descriptions) {
            this.descriptions = descriptions;
            return this;
        }

        /** Ask for {@code specifiedByURL} of custom scalars (GraphQL 2021+). Default {@code false}. */
        public Builder specifiedByUrl(boolean specifiedByUrl) {
            this.specifiedByUrl = specifiedByUrl;
            return this;
        }

        /** Ask whether directives are repeatable (GraphQL 2021+). Default {@code false}. */
        public Builder directiveIsRepeatable(boolean directiveIsRepeatable) {
            this.directiveIsRepeatable = directiveIsRepeatable;
            return this;
        }

        /** Ask for the schema's own description (GraphQL 2021+). Default {@code false}. */
        public Builder schemaDescription(boolean schemaDescription) {
            this.schemaDescription = schemaDescription;
            return this;
        }

        /**
         * Ask for deprecated arguments and input fields too. Default {@code true}, as in gql 4;
         * turn it off for servers older than GraphQL 2021, which reject the query.
         */
        public Builder inputValueDeprecation(boolean inputValueDeprecation) {
            this.inputValueDeprecation = inputValueDeprecation;
            return this;
        }

        /** Ask which input objects are {@code @oneOf}. Default {@code false}. */
        public Builder oneOf(boolean oneOf) {
            this.oneOf = oneOf;
            return this;
        }

        /** How deeply nested type references ({@code [[Int!]!]}) are resolved. Default 7, as in gql. */
        public Builder typeRecursionLevel(int typeRecursionLevel) {
            if (typeRecursionLevel < 1) {
                throw new IllegalArgumentException("typeRecursionLevel must be at least 1: " + typeRecursionLevel);
            }
            this.typeRecursionLevel = typeRecursionLevel;
            return this;
        }

        /** @return the options */
        public IntrospectionOptions build() {
            return new IntrospectionOptions(this);
        }
    }
}
