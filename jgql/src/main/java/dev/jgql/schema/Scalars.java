package dev.jgql.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The client's custom scalar and enum codecs, by GraphQL type name: the counterpart of gql's
 * {@code update_schema_scalars}. With a schema known to the client, variables of these types are
 * serialised with {@link ScalarCodec#serialize} and answers are parsed with
 * {@link ScalarCodec#parse}, by walking the document against the schema (aliases, fragments,
 * lists, nested input objects). Immutable.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(http)
 *     .schema(sdl)
 *     .scalars(Scalars.builder()
 *         .scalar("DateTime", ScalarCodec.offsetDateTime())
 *         .scalar("Decimal", ScalarCodec.bigDecimal())
 *         .scalar("Continent", ScalarCodec.enumOf(ContinentCode.class))
 *         .build())
 *     .build();
 * }</pre>
 */
public final class Scalars {
    private static final Scalars NONE = builder().build();

    private final Map<String, ScalarCodec<?>> codecs;

    private Scalars(Builder builder) {
        this.codecs = Map.copyOf(builder.codecs);
    }

    /** @return no codecs: every value travels as JSON gives it */
    public static Scalars none() {
        return NONE;
    }

    /** @return a builder with no codecs */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param typeName a GraphQL scalar or enum type name
     * @return its codec, or {@code null} if none is registered
     */
    public ScalarCodec<?> codec(String typeName) {
        return codecs.get(typeName);
    }

    /** @return whether no codec is registered */
    public boolean isEmpty() {
        return codecs.isEmpty();
    }

    @Override
    public String toString() {
        return "Scalars" + new java.util.TreeMap<>(codecs).keySet();
    }

    /** Builds {@link Scalars}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, ScalarCodec<?>> codecs = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers the codec of a custom scalar or an enum; a later one for the same name wins.
         *
         * @param typeName the GraphQL type name, e.g. {@code DateTime}
         * @param codec    its codec
         * @return this builder
         */
        public Builder scalar(String typeName, ScalarCodec<?> codec) {
            codecs.put(Objects.requireNonNull(typeName, "typeName"), Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Registers a GraphQL enum as a Java enum ({@link ScalarCodec#enumOf}).
         *
         * @param typeName the GraphQL enum's name
         * @param enumType the Java enum
         * @return this builder
         */
        public <E extends Enum<E>> Builder enumType(String typeName, Class<E> enumType) {
            return scalar(typeName, ScalarCodec.enumOf(enumType));
        }

        /** @return the registry */
        public Scalars build() {
            return new Scalars(this);
        }
    }
}
