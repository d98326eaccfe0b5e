package dev.jgql.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * How the values of one custom scalar (or enum) travel: {@link #serialize} turns the Java value
 * of a variable into what is sent as JSON, {@link #parse} turns what the server sent into the
 * Java value. Register codecs by GraphQL type name in {@link Scalars}. Implementations must be
 * thread-safe; throw any exception to reject a value (jgql reports it with the path and value).
 *
 * <pre>{@code
 * ScalarCodec<Money> money = ScalarCodec.of(Money.class,
 *     value -> value.amount() + " " + value.currency(),
 *     json -> Money.parse((String) json));
 * Scalars scalars = Scalars.builder()
 *     .scalar("DateTime", ScalarCodec.offsetDateTime())
 *     .scalar("Money", money)
 *     .build();
 * }</pre>
 *
 * @param <T> the Java type of the scalar's values
 */
public interface ScalarCodec<T> {

    /** @return the Java type values of this scalar have; values of other types are sent as they are */
    Class<T> javaType();

    /**
     * @param value a variable's value
     * @return what to send: a String, Number, Boolean, List or Map that Jackson writes as is
     */
    Object serialize(T value);

    /**
     * @param json the value as the server sent it (a String, Number, Boolean, List or Map)
     * @return the Java value
     */
    T parse(Object json);

    /**
     * A codec from two functions.
     *
     * @param javaType  the Java type
     * @param serialize Java value to JSON value
     * @param parse     JSON value to Java value
     * @param <T>       the Java type
     * @return the codec
     */
    static <T> ScalarCodec<T> of(Class<T> javaType, Function<? super T, ?> serialize, Function<Object, ? extends T> parse) {
        Objects.requireNonNull(javaType, "javaType");
        Objects.requireNonNull(serialize, "serialize");
        Objects.requireNonNull(parse, "parse");
        return new ScalarCodec<>() {
            @Override
            public Class<T> javaType() {
                return javaType;
            }

            @Override
            public Object serialize(T value) {
                return serialize.apply(value);
            }

            @Override
            public T parse(Object json) {
                return parse.apply(json);
            }

            @Override
            public String toString() {
                return "ScalarCodec{" + javaType.getSimpleName() + '}';
            }
        };
    }

    /** @return ISO-8601 text with an offset ({@code 2024-05-01T12:00:00+02:00}) as {@link OffsetDateTime}: the usual {@code DateTime} */
    static ScalarCodec<OffsetDateTime> offsetDateTime() {
        return of(OffsetDateTime.class, OffsetDateTime::toString, json -> OffsetDateTime.parse(text(json)));
    }

    /** @return ISO-8601 text in UTC ({@code 2024-05-01T10:00:00Z}) as {@link Instant} */
    static ScalarCodec<Instant> instant() {
        return of(Instant.class, Instant::toString, json -> Instant.parse(text(json)));
    }

    /** @return ISO-8601 dates ({@code 2024-05-01}) as {@link LocalDate}: the usual {@code Date} */
    static ScalarCodec<LocalDate> localDate() {
        return of(LocalDate.class, LocalDate::toString, json -> LocalDate.parse(text(json)));
    }

    /**
     * Decimals as {@link BigDecimal}, sent as a JSON string so that no digit is lost on the way;
     * accepts a string or a number from the server (a number is read from its shortest decimal
     * text; give the client a mapper with {@code USE_BIG_DECIMAL_FOR_FLOATS} to keep every digit
     * of long numbers).
     *
     * @return the codec
     */
    static ScalarCodec<BigDecimal> bigDecimal() {
        return of(BigDecimal.class, BigDecimal::toPlainString, json -> {
            if (json instanceof BigDecimal decimal) {
                return decimal;
            }
            if (json instanceof Number || json instanceof String) {
                return new BigDecimal(json.toString().trim());
            }
            throw new IllegalArgumentException("expected a decimal number or its text, got " + kind(json));
        });
    }

    /** @return 64-bit integers as {@link Long} (the usual {@code Long}), from a number or its text; out of range is rejected */
    static ScalarCodec<Long> longValue() {
        return of(Long.class, value -> value, json -> {
            if (json instanceof Integer || json instanceof Long || json instanceof Short || json instanceof Byte) {
                return ((Number) json).longValue();
            }
            if (json instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (json instanceof String text) {
                return Long.parseLong(text.trim());
            }
            throw new IllegalArgumentException("expected an integer, got " + kind(json));
        });
    }

    /** @return UUIDs in their text form as {@link UUID} */
    static ScalarCodec<UUID> uuid() {
        return of(UUID.class, UUID::toString, json -> UUID.fromString(text(json)));
    }

    /**
     * A GraphQL enum as a Java enum whose constant names are the GraphQL values. A value the
     * server added later than the Java enum is rejected with its name; to accept them, write a
     * codec with a fallback constant.
     *
     * @param enumType the Java enum
     * @param <E>      its type
     * @return the codec
     */
    static <E extends Enum<E>> ScalarCodec<E> enumOf(Class<E> enumType) {
        Objects.requireNonNull(enumType, "enumType");
        return of(enumType, Enum::name, json -> {
            String name = text(json);
            try {
                return Enum.valueOf(enumType, name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name + "' is not a constant of " + enumType.getName()
                        + " (it has " + java.util.Arrays.toString(enumType.getEnumConstants()) + ")", e);
            }
        });
    }

    private static String text(Object json) {
        if (json instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException("expected a string, got " + kind(json));
    }

    private static String kind(Object json) {
        return json == null ? "null" : json.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + json;
    }
}
