package dev.jgql.schema;

import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.GraphQLValidationException;
import dev.jgql.Session;
import dev.jgql.countries.CountriesServer;
import dev.jgql.transport.http.HttpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "DSL" program, run here against the countries backend on a free port (the README's
 * text itself is compiled and run by jgql-examples' DocumentedProgramsTest, against port 4000).
 */
@Timeout(60)
class DslReadmeTest {

    /** The README's program, with the backend's address as a parameter. */
    static void dslQuery(URI backend) {
        // The part of the backend's schema this program uses; a whole schema works the same way.
        DslSchema ds = DslSchema.of(Schema.fromSdl("""
                type Query { continent(code: ID!): Continent  country(code: ID!): Country }
                type Continent { code: ID! name: String! countries: [Country!]! }
                type Country { code: ID! name: String! capital: String }"""));

        DslVariable code = ds.variable("code", "ID!");
        GraphQLRequest query = ds.query("getContinent")
                .select(ds.field("Query", "continent").arg("code", code).select("name"),
                        ds.field("Query", "country").alias("france").arg("code", "FR").select("name", "capital"))
                .toRequest();
        System.out.print(query.document());

        try {
            ds.field("Continent", "nam");
        } catch (GraphQLValidationException e) {
            System.out.println(e.getMessage());
        }

        Client client = Client.builder()
                .transport(HttpTransport.builder(backend).build())
                .build();
        try (Session session = client.connect()) {
            System.out.println(session.execute(query, Map.of("code", "EU")));
        }
        client.close();
    }

    @Test
    void theReadmeProgramPrintsWhatTheReadmeShows() {
        String output;
        try (CountriesServer server = CountriesServer.start(0)) {
            output = capture(() -> dslQuery(server.httpUri()));
        }

        assertThat(output).isEqualTo("""
                query getContinent($code: ID!) {
                  continent(code: $code) {
                    name
                  }
                  france: country(code: "FR") {
                    name
                    capital
                  }
                }
                Type Continent has no field 'nam'; its fields are: code, name, countries (and __typename)
                {continent={name=Europe}, france={name=France, capital=Paris}}
                """);
    }

    static String capture(Runnable program) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            program.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
