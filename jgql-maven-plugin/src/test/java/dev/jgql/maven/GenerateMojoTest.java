package dev.jgql.maven;

import static dev.jgql.maven.Sources.countriesSchema;
import static dev.jgql.maven.Sources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal as Maven runs it: files in, sources out, compile root added, nothing done twice. */
class GenerateMojoTest {
    @TempDir
    Path dir;

    private Path operations;
    private Path output;
    private Path schema;

    @BeforeEach
    void files() throws IOException {
        operations = Files.createDirectories(dir.resolve("src/main/graphql"));
        Files.writeString(operations.resolve("continents.graphql"), resource("countries/continents.graphql"));
        Files.createDirectories(operations.resolve("more"));
        Files.writeString(operations.resolve("more/more.graphql"), resource("countries/more.graphql"));
        schema = Files.writeString(dir.resolve("schema.graphqls"), countriesSchema());
        output = dir.resolve("target/generated-sources/jgql");
    }

    private GenerateMojo mojo(Path schemaFile) {
        GenerateMojo mojo = new GenerateMojo();
        mojo.schema = schemaFile.toFile();
        mojo.sourceDirectory = operations.toFile();
        mojo.packageName = "com.acme.graphql";
        mojo.outputDirectory = output.toFile();
        mojo.scalars = Map.of("DateTime", "java.time.OffsetDateTime", "BigDecimal", "java.math.BigDecimal");
        mojo.project = new MavenProject();
        return mojo;
    }

    @Test
    void generatesAddsTheCompileRootAndSkipsUnchangedInputs() throws Exception {
        GenerateMojo first = mojo(schema);
        assertThat(first.run()).isEqualTo(GenerateMojo.Outcome.GENERATED);
        assertThat(first.project.getCompileSourceRoots()).containsExactly(output.toAbsolutePath().toString());
        Path query = output.resolve("com/acme/graphql/GetContinentQuery.java");
        Path times = output.resolve("com/acme/graphql/TimesQuery.java");
        assertThat(query).exists();
        assertThat(Files.readString(times)).contains("java.time.OffsetDateTime later", "java.math.BigDecimal hoursBetween");
        FileTime stamp = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(query, stamp);

        GenerateMojo second = mojo(schema);
        assertThat(second.run()).isEqualTo(GenerateMojo.Outcome.UP_TO_DATE);
        assertThat(second.project.getCompileSourceRoots()).containsExactly(output.toAbsolutePath().toString());
        assertThat(Files.getLastModifiedTime(query)).isEqualTo(stamp);

        // A changed operation file regenerates; files whose text is the same are not rewritten.
        Files.writeString(operations.resolve("more/more.graphql"),
                resource("countries/more.graphql").replace("subscription countdown", "subscription counting"));
        assertThat(mojo(schema).run()).isEqualTo(GenerateMojo.Outcome.GENERATED);
        assertThat(Files.getLastModifiedTime(query)).isEqualTo(stamp);
        assertThat(output.resolve("com/acme/graphql/CountingSubscription.java")).exists();
        assertThat(output.resolve("com/acme/graphql/CountdownSubscription.java")).doesNotExist();

        // A changed configuration regenerates too.
        GenerateMojo otherScalars = mojo(schema);
        otherScalars.scalars = Map.of("DateTime", "java.time.Instant", "BigDecimal", "java.math.BigDecimal");
        assertThat(otherScalars.run()).isEqualTo(GenerateMojo.Outcome.GENERATED);
        assertThat(Files.readString(times)).contains("java.time.Instant later");

        // A deleted output is written again.
        Files.delete(query);
        assertThat(mojo(schema).run()).isEqualTo(GenerateMojo.Outcome.GENERATED);
        assertThat(query).exists();
    }

    @Test
    void introspectionJsonGivesTheSameCodeAsTheSdl() throws Exception {
        GraphQL graphQL = GraphQL.newGraphQL(UnExecutableSchemaGenerator.makeUnExecutableSchema(
                new SchemaParser().parse(countriesSchema()))).build();
        ExecutionResult introspection = graphQL.execute(IntrospectionQuery.INTROSPECTION_QUERY);
        Path json = Files.writeString(dir.resolve("schema.json"),
                new ObjectMapper().writeValueAsString(introspection.toSpecification()));
        assertThat(mojo(json).run()).isEqualTo(GenerateMojo.Outcome.GENERATED);
        String fromJson = Files.readString(output.resolve("com/acme/graphql/SearchQuery.java"));

        Path sdlOutput = dir.resolve("sdl-out");
        GenerateMojo fromSdl = mojo(schema);
        fromSdl.outputDirectory = sdlOutput.toFile();
        fromSdl.run();
        assertThat(fromJson).isEqualTo(Files.readString(sdlOutput.resolve("com/acme/graphql/SearchQuery.java")));
    }

    @Test
    void schemaDirectoryIsReadWhole() throws Exception {
        String sdl = countriesSchema();
        int split = sdl.indexOf("type Continent implements Place");
        Path directory = Files.createDirectories(dir.resolve("schema"));
        Files.writeString(directory.resolve("a.graphqls"), sdl.substring(0, split));
        Files.writeString(directory.resolve("b.graphqls"), sdl.substring(split));
        assertThat(mojo(directory).run()).isEqualTo(GenerateMojo.Outcome.GENERATED);
        String fromDirectory = Files.readString(output.resolve("com/acme/graphql/GetContinentQuery.java"));
        Path fileOutput = dir.resolve("file-out");
        GenerateMojo fromFile = mojo(schema);
        fromFile.outputDirectory = fileOutput.toFile();
        fromFile.run();
        assertThat(fromDirectory).isEqualTo(Files.readString(fileOutput.resolve("com/acme/graphql/GetContinentQuery.java")));
    }

    @Test
    void missingSchemaFileFailsWithItsPath() {
        Path missing = dir.resolve("nowhere/schema.graphqls");
        assertThatThrownBy(() -> mojo(missing).run())
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("jgql: the schema file " + missing + " does not exist: set <schema> to the server's SDL "
                        + "(.graphqls) or an introspection result (.json)");
    }

    @Test
    void schemaProblemNamesTheType() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.graphqls"), """
                type Query { continent(code: ID!): Continent }
                type Continent { code: ID! region: Region }""");
        assertThatThrownBy(() -> mojo(broken).run())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("jgql: the schema " + broken + " is not usable: ")
                .hasMessageContaining("Region");
    }

    @Test
    void invalidOperationFailsTheBuildWithFileLineAndColumn() throws IOException {
        Files.writeString(operations.resolve("more/bad.graphql"), "query bad {\n  continents { nam }\n}\n");
        assertThatThrownBy(() -> mojo(schema).run())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("more/bad.graphql:2:16: Field 'nam' in type 'Continent' is undefined (operation bad)");
        assertThat(output.resolve("com/acme/graphql/GetContinentQuery.java")).doesNotExist();
    }

    @Test
    void missingOperationsDirectoryAndPackageAreReported() {
        GenerateMojo noDirectory = mojo(schema);
        noDirectory.sourceDirectory = dir.resolve("src/main/nothing").toFile();
        assertThatThrownBy(noDirectory::run).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("the operations directory").hasMessageContaining("does not exist");
        GenerateMojo noPackage = mojo(schema);
        noPackage.packageName = " ";
        assertThatThrownBy(noPackage::run).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<packageName>");
    }
}
