package dev.jgql.maven;

import static dev.jgql.maven.Sources.countriesSchema;
import static dev.jgql.maven.Sources.resource;
import static dev.jgql.maven.Sources.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jgql.countries.CountriesServer;
import dev.jgql.schema.Schema;
import dev.jgql.transport.support.GraphQLJson;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated code compiles without a warning and works: on the embedded backend, and with Jackson. */
class GeneratedCodeTest {
    static final Map<String, String> SCALARS = Map.of(
            "DateTime", "java.time.OffsetDateTime", "BigDecimal", "java.math.BigDecimal");

    @TempDir
    Path dir;

    static Map<String, String> countriesCode() {
        return new CodeGenerator(Schema.fromSdl(countriesSchema()).graphQLSchema(), SCALARS, "test.generated")
                .generate(List.of(
                        source("countries/continents.graphql", resource("countries/continents.graphql")),
                        source("countries/more.graphql", resource("countries/more.graphql"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void typedOperationsRunOnPlainAndPermanentSessions() throws Exception {
        Map<String, String> sources = new TreeMap<>(countriesCode());
        assertThat(sources).containsOnlyKeys("test/generated/CountdownSubscription.java",
                "test/generated/CountryFields.java", "test/generated/GetContinentQuery.java",
                "test/generated/IncrementMutation.java", "test/generated/Period.java",
                "test/generated/PlacesQuery.java", "test/generated/SearchQuery.java", "test/generated/TimesQuery.java");
        sources.put("test/generated/CountriesDriver.java", resource("CountriesDriver.java.txt"));
        ClassLoader loader = Sources.compile(sources, dir);

        Map<String, Object> out;
        try (CountriesServer server = CountriesServer.start(0)) {
            BiFunction<URI, URI, Map<String, Object>> driver = (BiFunction<URI, URI, Map<String, Object>>)
                    loader.loadClass("test.generated.CountriesDriver").getConstructor().newInstance();
            out = driver.apply(server.httpUri(), server.webSocketUri());
        }

        assertThat(out.get("plain.continent").getClass().getName()).isEqualTo("test.generated.GetContinentQuery$Data");
        assertThat(out.get("plain.continent").toString())
                .startsWith("Data[continent=Continent[code=EU, name=Europe, countries=[Countries[code=AD, name=Andorra, "
                        + "capital=Andorra la Vella, continent=Continent2[name=Europe]]");
        assertThat(out.get("plain.fragment")).isEqualTo("Andorra in Europe");
        assertThat((List<String>) out.get("plain.search"))
                .contains("continent AN Antarctica")
                .anyMatch(line -> line.startsWith("country FR "))
                .anyMatch(line -> line.startsWith("other Language"));
        assertThat((List<String>) out.get("plain.places"))
                .contains("Other:Continent:EU", "Country:Country:FR:Paris");
        assertThat(out.get("plain.times")).isEqualTo("2024-05-03T00:00+02:00 30 0.33333333333333333333");
        assertThat(out.get("plain.increment")).isEqualTo(5);
        Map<String, Object> withNull = new java.util.LinkedHashMap<>();
        withNull.put("requestId", null);
        assertThat(out.get("variables.null")).isEqualTo(withNull);
        assertThat(out.get("plain.countdown")).isEqualTo(List.of(3, 2, 1, 0));
        assertThat(out.get("schemaAware.times")).isEqualTo(out.get("plain.times"));
        assertThat((Integer) out.get("schemaAware.places")).isEqualTo(((List<String>) out.get("plain.places")).size());
        assertThat(out.get("permanent.continent")).isEqualTo("Oceania 27");
        assertThat(out.get("permanent.search")).isEqualTo("Continent");
        assertThat(out.get("permanent.countdown")).isEqualTo(List.of(2, 1, 0));
    }

    @Test
    void sameInputsGiveTheSameBytes() {
        Map<String, String> first = countriesCode();
        Map<String, String> again = new CodeGenerator(Schema.fromSdl(countriesSchema()).graphQLSchema(),
                new TreeMap<>(SCALARS), "test.generated").generate(List.of(
                        source("countries/more.graphql", resource("countries/more.graphql")),
                        source("countries/continents.graphql", resource("countries/continents.graphql"))));
        assertThat(again).isEqualTo(first);
    }

    @Test
    void typenameIsAddedWhereTypesAreAbstract() {
        Map<String, String> sources = countriesCode();
        assertThat(document(sources.get("test/generated/SearchQuery.java")))
                .contains("+ \"  search(text: $text) {\\n\"\n            + \"    __typename\\n\"");
        assertThat(document(sources.get("test/generated/PlacesQuery.java")))
                .contains("+ \"  places {\\n\"\n            + \"    __typename\\n\"");
        assertThat(document(sources.get("test/generated/GetContinentQuery.java"))).doesNotContain("__typename");
        assertThat(sources.get("test/generated/GetContinentQuery.java"))
                .contains("fragment CountryFields on Country {", "public record GetContinentQuery(Variables variables)"
                        + " implements TypedOperation<GetContinentQuery.Data>")
                .contains("/**");
    }

    /** The DOCUMENT constant of a generated operation, as Java source. */
    private static String document(String source) {
        int start = source.indexOf("public static final String DOCUMENT = ");
        return source.substring(start, source.indexOf("\";\n", start));
    }

    @Test
    @SuppressWarnings("unchecked")
    void enumsInputsFragmentsAndInterfacesMapWithJackson() throws Exception {
        Map<String, String> sources = new TreeMap<>(new CodeGenerator(
                Schema.fromSdl(resource("starwars/schema.graphqls")).graphQLSchema(), Map.of(), "test.starwars")
                .generate(List.of(source("starwars/operations.graphql", resource("starwars/operations.graphql")))));
        assertThat(sources).containsOnlyKeys("test/starwars/CreateReviewMutation.java", "test/starwars/Episode.java",
                "test/starwars/HeroName.java", "test/starwars/HeroQuery.java", "test/starwars/ReviewInput.java",
                "test/starwars/Tag.java");
        sources.put("test/starwars/StarWarsDriver.java", resource("StarWarsDriver.java.txt"));
        ClassLoader loader = Sources.compile(sources, dir);
        Function<Object, Map<String, Object>> driver = (Function<Object, Map<String, Object>>)
                loader.loadClass("test.starwars.StarWarsDriver").getConstructor().newInstance();

        Map<String, Object> out = driver.apply(GraphQLJson.defaultMapper());

        assertThat(out.get("human")).isEqualTo("Luke from Tatooine");
        assertThat(out.get("friends")).isEqualTo(List.of("Droid R2-D2 Astromech", "Other Han", "Other Chewbacca"));
        assertThat(out.get("unknownType")).isEqualTo("Other Ewok");
        assertThat(out.get("unknownEnum")).hasToString("UNKNOWN");
        assertThat(out.get("knownEnum")).hasToString("JEDI");
        assertThat(out.get("variables")).isEqualTo(Map.of(
                "review", Map.of("stars", 4, "episode", "EMPIRE", "tags", List.of(Map.of("name", "epic")))));
        Map<String, Object> withNull = new java.util.LinkedHashMap<>();
        withNull.put("episode", null);
        withNull.put("review", Map.of("stars", 3, "commentary", "ok"));
        assertThat(out.get("variablesWithNull")).isEqualTo(withNull);
        assertThat(out.get("heroAbsent")).isEqualTo(Map.of());
        assertThat((String) out.get("sendUnknown")).contains("Episode.UNKNOWN", "cannot be sent");
        assertThat(out.get("requiredField")).isEqualTo("stars");
    }
}
