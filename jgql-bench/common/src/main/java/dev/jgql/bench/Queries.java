package dev.jgql.bench;

import java.util.Map;

/** The GraphQL operations every client sends, byte for byte the same documents and variables. */
public final class Queries {
    /** A one-country query: a ~70-byte response, so the round trip dominates. */
    public static final String SMALL = "query country($code: ID!) { country(code: $code) { name capital currency } }";
    /** The variables of {@link #SMALL}. */
    public static final Map<String, Object> SMALL_VARIABLES = Map.of("code", "FR");
    /** Every country with its languages: a ~23 KB response, so JSON decoding shows. */
    public static final String LARGE = "query countries { countries { code name languages { code name } } }";
    /** The large query has no variables. */
    public static final Map<String, Object> LARGE_VARIABLES = Map.of();
    /** The Accept header jgql sends; the raw JDK floor sends the same. */
    public static final String ACCEPT = "application/graphql-response+json, application/json;q=0.9";

    private Queries() {
    }

    /** The document for a benchmark's {@code size} parameter ({@code small} or {@code large}). */
    public static String document(String size) {
        return switch (size) {
            case "small" -> SMALL;
            case "large" -> LARGE;
            default -> throw new IllegalArgumentException("size must be small or large, not " + size);
        };
    }

    /** The variables for a benchmark's {@code size} parameter. */
    public static Map<String, Object> variables(String size) {
        return size.equals("small") ? SMALL_VARIABLES : LARGE_VARIABLES;
    }
}
