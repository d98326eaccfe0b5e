package dev.jgql.transport.local;

import dev.jgql.Client;
import dev.jgql.Session;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Testing without a server" program, run here (the README's text itself is compiled
 * and run by jgql-examples' DocumentedProgramsTest).
 */
@Timeout(60)
class LocalSchemaReadmeTest {

    /** The README's program. */
    static void localSchema() {
        AtomicInteger counter = new AtomicInteger();
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type.dataFetcher("hello", env -> "Hello, " + env.getArgument("name") + "!"))
                .type("Mutation", type -> type.dataFetcher("increment", env -> counter.incrementAndGet()))
                .build();
        GraphQL graphQL = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
                type Query { hello(name: String!): String! }
                type Mutation { increment: Int! }"""), wiring)).build();

        Client client = Client.builder().transport(LocalSchemaTransport.of(graphQL)).build();
        try (Session session = client.connect()) {
            System.out.println(session.execute(gql("query Hello($name: String!) { hello(name: $name) }"),
                    Map.of("name", "jgql")));
            System.out.println(session.execute(gql("mutation { increment }")));
        }
        client.close();
    }

    @Test
    void theReadmeProgramPrintsWhatTheReadmeShows() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            localSchema();
        } finally {
            System.setOut(original);
        }

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                {hello=Hello, jgql!}
                {increment=1}
                """);
    }
}
