package dev.jgql.maven;

import dev.jgql.GraphQLSchemaException;
import dev.jgql.schema.Schema;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates typed operations from the {@code .graphql} files of a project: for each operation a
 * record implementing {@code dev.jgql.TypedOperation} with its document (validated against the
 * schema), its variables and its {@code Data}; an interface per fragment, an enum or record per
 * enum or input type they use. Never touches the network: the schema is a file.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.jgql</groupId>
 *   <artifactId>jgql-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>generate</goal></goals></execution></executions>
 *   <configuration>
 *     <schema>src/main/graphql/schema.graphqls</schema>
 *     <packageName>com.acme.graphql</packageName>
 *     <scalars><DateTime>java.time.OffsetDateTime</DateTime></scalars>
 *   </configuration>
 * </plugin>
 * }</pre>
 *
 * <p>Unchanged inputs (schema, operations, configuration) do not regenerate; files whose text did not
 * change are not rewritten.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {
    static final String FINGERPRINT_FILE = ".jgql-fingerprint";

    /**
     * The schema: an SDL file ({@code .graphqls}, {@code .graphql}, {@code .sdl}), an introspection
     * result ({@code .json}, as saved by introspection tools), or a directory whose SDL files are read
     * together.
     */
    @Parameter(property = "jgql.schema", required = true)
    File schema;

    /** Where the operations are: every {@code .graphql} and {@code .gql} file below it (schema files excluded). */
    @Parameter(property = "jgql.sourceDirectory", defaultValue = "${project.basedir}/src/main/graphql")
    File sourceDirectory;

    /** The package of the generated classes. */
    @Parameter(property = "jgql.packageName", required = true)
    String packageName;

    /** Where the Java sources go; added to the project's compile source roots. */
    @Parameter(property = "jgql.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/jgql")
    File outputDirectory;

    /**
     * The Java type of each custom scalar, by scalar name, e.g. {@code DateTime} to
     * {@code java.time.OffsetDateTime}: what the client's scalar registry (or Jackson) gives for it.
     * Defaults: {@code ID} and {@code String} to {@code String}, {@code Int} to {@code Integer},
     * {@code Float} to {@code Double}, {@code Boolean} to {@code Boolean}; a scalar not listed becomes
     * {@code Object}.
     */
    @Parameter
    Map<String, String> scalars;

    /** Skips the generation (and adds nothing to the compile roots). */
    @Parameter(property = "jgql.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** Creates the goal; Maven sets its parameters. */
    public GenerateMojo() {
    }

    /** What one run did, for the log and the tests. */
    enum Outcome { SKIPPED, UP_TO_DATE, GENERATED }

    @Override
    public void execute() throws MojoFailureException {
        run();
    }

    Outcome run() throws MojoFailureException {
        if (skip) {
            getLog().info("jgql: skipped");
            return Outcome.SKIPPED;
        }
        if (schema == null || !schema.exists()) {
            throw new MojoFailureException("jgql: the schema file " + schema + " does not exist: set <schema> to the "
                    + "server's SDL (.graphqls) or an introspection result (.json)");
        }
        if (sourceDirectory == null || !sourceDirectory.isDirectory()) {
            throw new MojoFailureException("jgql: the operations directory " + sourceDirectory + " does not exist: "
                    + "put the .graphql files there or set <sourceDirectory>");
        }
        if (packageName == null || packageName.isBlank()) {
            throw new MojoFailureException("jgql: set <packageName>, the package of the generated classes");
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        try {
            Path root = sourceDirectory.toPath();
            List<CodeGenerator.Source> sources = operationFiles(root);
            String schemaText = schemaText();
            String fingerprint = fingerprint(schemaText, sources);
            Path output = outputDirectory.toPath();
            Path fingerprintFile = output.resolve(FINGERPRINT_FILE);
            List<String> previous = Files.isRegularFile(fingerprintFile)
                    ? Files.readAllLines(fingerprintFile, StandardCharsets.UTF_8) : List.of();
            if (!previous.isEmpty() && previous.get(0).equals(fingerprint) && allExist(output, previous)) {
                getLog().info("jgql: " + (previous.size() - 1) + " generated sources up to date");
                return Outcome.UP_TO_DATE;
            }
            Map<String, String> generated = generate(schemaText, sources);
            for (String stale : previous.subList(Math.min(1, previous.size()), previous.size())) {
                if (!generated.containsKey(stale)) {
                    Files.deleteIfExists(output.resolve(stale));
                }
            }
            int written = 0;
            for (Map.Entry<String, String> file : generated.entrySet()) {
                Path target = output.resolve(file.getKey());
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                // Unchanged files keep their time stamps: the compiler's own staleness check stays quiet.
                if (!Files.isRegularFile(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                    Files.createDirectories(target.getParent());
                    Files.write(target, bytes);
                    written++;
                }
            }
            List<String> lines = new ArrayList<>();
            lines.add(fingerprint);
            lines.addAll(generated.keySet());
            Files.createDirectories(output);
            Files.write(fingerprintFile, lines, StandardCharsets.UTF_8);
            getLog().info("jgql: " + sources.size() + " operation file(s) -> " + generated.size() + " sources ("
                    + written + " written) in " + outputDirectory);
            return Outcome.GENERATED;
        } catch (IOException e) {
            throw new MojoFailureException("jgql: " + e.getMessage(), e);
        } catch (CodegenException e) {
            throw new MojoFailureException("jgql: the operations under " + sourceDirectory + " cannot be generated:"
                    + System.lineSeparator() + e.getMessage(), e);
        }
    }

    private Map<String, String> generate(String schemaText, List<CodeGenerator.Source> sources)
            throws MojoFailureException {
        Schema parsed;
        try {
            parsed = schema.getName().endsWith(".json") ? Schema.fromIntrospectionJson(schemaText)
                    : Schema.fromSdl(schemaText);
        } catch (GraphQLSchemaException e) {
            throw new MojoFailureException("jgql: the schema " + schema + " is not usable: " + e.getMessage(), e);
        }
        return new CodeGenerator(parsed.graphQLSchema(), scalars, packageName).generate(sources);
    }

    private String schemaText() throws IOException {
        if (!schema.isDirectory()) {
            return Files.readString(schema.toPath(), StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(schema.toPath())) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(path -> path.toString().matches(".*\\.(graphqls|graphql|sdl)$")).sorted().toList()) {
                text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return text.toString();
    }

    private List<CodeGenerator.Source> operationFiles(Path root) throws IOException {
        Path schemaPath = schema.toPath().toAbsolutePath().normalize();
        List<CodeGenerator.Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith(".graphql") || path.toString().endsWith(".gql"))
                    .filter(path -> !path.toAbsolutePath().normalize().startsWith(schemaPath))
                    .sorted().toList()) {
                String relative = root.relativize(file).toString().replace(File.separatorChar, '/');
                sources.add(new CodeGenerator.Source(relative, Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        return sources;
    }

    private String fingerprint(String schemaText, List<CodeGenerator.Source> sources) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
        StringBuilder inputs = new StringBuilder();
        inputs.append("version ").append(CodeGenerator.OUTPUT_VERSION).append('\n');
        inputs.append("package ").append(packageName).append('\n');
        new TreeMap<>(scalars == null ? Map.<String, String>of() : scalars)
                .forEach((name, type) -> inputs.append("scalar ").append(name).append('=').append(type).append('\n'));
        update(digest, inputs.toString());
        update(digest, schemaText);
        for (CodeGenerator.Source source : sources) {
            update(digest, source.path());
            update(digest, source.text());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static boolean allExist(Path output, List<String> fingerprint) {
        return fingerprint.subList(1, fingerprint.size()).stream().allMatch(path -> Files.isRegularFile(output.resolve(path)));
    }
}
