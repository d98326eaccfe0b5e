package dev.jgql.cli;

import dev.jgql.GraphQLRequest;
import dev.jgql.GraphQLSchemaException;
import dev.jgql.Gql;
import dev.jgql.schema.Schema;
import graphql.introspection.IntrospectionQueryBuilder;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.AstPrinter;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaPrinter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code --print-schema}: the server's schema by introspection, built by jgql's
 * {@link Schema#fromIntrospection} and printed as SDL with graphql-java's printer. The introspection query is
 * graphql-java's, tuned with gql-cli's {@code --schema-download} names.
 */
final class Introspection {
    private static final Map<String, BiFunction<IntrospectionQueryBuilder.Options, Boolean, IntrospectionQueryBuilder.Options>>
            DOWNLOAD_OPTIONS = new LinkedHashMap<>();

    static {
        DOWNLOAD_OPTIONS.put("descriptions", IntrospectionQueryBuilder.Options::descriptions);
        DOWNLOAD_OPTIONS.put("input_value_deprecation", IntrospectionQueryBuilder.Options::inputValueDeprecation);
        DOWNLOAD_OPTIONS.put("specified_by_url", IntrospectionQueryBuilder.Options::specifiedByUrl);
        DOWNLOAD_OPTIONS.put("schema_description", IntrospectionQueryBuilder.Options::schemaDescription);
        DOWNLOAD_OPTIONS.put("directive_is_repeatable", IntrospectionQueryBuilder.Options::directiveIsRepeatable);
        DOWNLOAD_OPTIONS.put("input_object_one_of", IntrospectionQueryBuilder.Options::isOneOf);
    }

    private Introspection() {
    }

    /**
     * The introspection query, with {@code name:true|false} settings applied to graphql-java's
     * defaults.
     *
     * @throws UsageException for an unknown name or a value that is not true or false
     */
    static GraphQLRequest request(List<String> settings) {
        IntrospectionQueryBuilder.Options options = IntrospectionQueryBuilder.Options.defaultOptions();
        for (String setting : settings) {
            int colon = setting.indexOf(':');
            String name = colon < 0 ? setting : setting.substring(0, colon).strip();
            String value = colon < 0 ? "" : setting.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            var option = DOWNLOAD_OPTIONS.get(name);
            if (option == null || !(value.equals("true") || value.equals("false"))) {
                throw new UsageException("--schema-download takes name:true or name:false, with a name among "
                        + String.join(", ", DOWNLOAD_OPTIONS.keySet()) + "; not '" + setting + "'");
            }
            options = option.apply(options, Boolean.parseBoolean(value));
        }
        return Gql.gql(IntrospectionQueryBuilder.build(options));
    }

    /**
     * The schema in SDL. Falls back to printing the introspected definitions as they are when they
     * do not make a complete schema (a server that hides types, say).
     *
     * @param data the introspection answer's {@code data}, with its {@code __schema}
     * @throws dev.jgql.TransportProtocolException if the answer holds no {@code __schema}
     */
    static String sdl(Map<String, Object> data) {
        if (data == null || !(data.get("__schema") instanceof Map)) {
            throw new dev.jgql.TransportProtocolException("The introspection answer has no __schema: "
                    + "the server may have introspection disabled");
        }
        GraphQLSchema schema;
        try {
            schema = Schema.fromIntrospection(data).graphQLSchema();
        } catch (GraphQLSchemaException incomplete) {
            return AstPrinter.printAst(new IntrospectionResultToSchema().createSchemaDefinition(data)).strip();
        }
        return new SchemaPrinter(SchemaPrinter.Options.defaultOptions()
                .includeScalarTypes(true)
                .includeSchemaDefinition(false)
                .includeDirectiveDefinitions(false))
                .print(schema).strip();
    }
}
