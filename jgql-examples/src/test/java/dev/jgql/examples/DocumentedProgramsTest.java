package dev.jgql.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.jgql.countries.CountriesServer;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and of docs/*.md, compiled and run exactly as it is written, so the
 * documentation cannot drift from the code.
 *
 * <ul>
 *   <li>A block is a whole program: its imports and a public class with a {@code main} method. It is compiled
 *       alone, with {@code -Xlint:all -Werror}, on the class path of these tests (jgql, jgql-vertx, the testkit,
 *       their dependencies, slf4j-simple), and run in a JVM of its own, which must exit with status 0 within a minute and print no
 *       stack trace: a program that leaves a thread running fails.
 *   <li>The programs talk to {@code http://127.0.0.1:4000/graphql} and {@code ws://127.0.0.1:4000/graphql}: this
 *       test starts the embedded countries backend there, as the README tells a reader to do by hand.
 *   <li>When the next fenced block after a program is marked {@code ```text output}, the program's standard
 *       output must be exactly that text.
 * </ul>
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DocumentedProgramsTest {
    /** Where the README's programs look for the backend. */
    static final int BACKEND_PORT = 4000;
    private static final long RUN_TIMEOUT_SECONDS = 60;
    private static final Pattern FENCE = Pattern.compile("^\\s*```(.*)$");
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public\\s+(?:final\\s+)?class\\s+(\\w+)");

    private static CountriesServer backend;

    /** One fenced block: where it starts (the line after the fence, 1-based), its info string and its text. */
    record Block(Path file, int firstLine, String info, String text) {
        boolean isJava() {
            return info.strip().split("\\s+")[0].equals("java");
        }

        boolean isOutput() {
            return List.of(info.strip().split("\\s+")).contains("output");
        }

        String where() {
            return file.getFileName() + " line " + firstLine;
        }
    }

    /** A program and the output it must print, or {@code null} if any. */
    record Program(Block block, String expectedOutput) {
    }

    @BeforeAll
    static void startTheBackendWhereTheProgramsLook() {
        try {
            backend = CountriesServer.start(BACKEND_PORT);
        } catch (IllegalStateException e) {
            fail("Port " + BACKEND_PORT + " is taken. The documented programs talk to http://127.0.0.1:" + BACKEND_PORT
                    + "/graphql, where this test starts the embedded countries backend: stop what listens there (a "
                    + "backend started by hand from the README?) and run the tests again.", e);
        }
    }

    @AfterAll
    static void stopTheBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static Path projectRoot() {
        String readme = System.getProperty("jgql.readme");
        assertThat(readme).as("system property jgql.readme (set by the jgql-examples POM)").isNotNull();
        return Path.of(readme).toAbsolutePath().getParent();
    }

    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(projectRoot().resolve("README.md"));
        try (Stream<Path> docs = Files.list(projectRoot().resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            if (end == lines.size()) {
                fail(file.getFileName() + " line " + (i + 1) + ": a code block is never closed");
            }
            blocks.add(new Block(file, start + 1, open.group(1), String.join("\n", lines.subList(start, end)) + "\n"));
            i = end;
        }
        return blocks;
    }

    static List<Program> programs(Path file) throws IOException {
        List<Block> blocks = blocks(file);
        List<Program> programs = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).isJava()) {
                boolean outputFollows = i + 1 < blocks.size() && blocks.get(i + 1).isOutput();
                programs.add(new Program(blocks.get(i), outputFollows ? blocks.get(i + 1).text() : null));
            }
        }
        return programs;
    }

    @Test
    void theReadmeHasProgramsAndTheExtractorFindsThem() throws IOException {
        List<Program> readme = programs(projectRoot().resolve("README.md"));
        // The quick start, the permanent session, the retry profiles, subscriptions, WebSocket, blocking
        // subscriptions, engines, the request pipeline (four), troubleshooting.
        assertThat(readme).hasSizeGreaterThanOrEqualTo(12);
        assertThat(readme.get(0).block().text()).contains("import dev.jgql.Client;", "public static void main");
        assertThat(readme).allSatisfy(program -> assertThat(PUBLIC_CLASS.matcher(program.block().text()).find())
                .as("%s has a public class", program.block().where()).isTrue());
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedProgramCompilesAndRunsAsWritten(@TempDir Path work) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path document : documents()) {
            for (Program program : programs(document)) {
                Matcher name = PUBLIC_CLASS.matcher(program.block().text());
                String className = name.find() ? name.group(1) : "Unnamed";
                tests.add(DynamicTest.dynamicTest(program.block().where() + ": " + className,
                        () -> compileAndRun(program, className, work.resolve("b" + tests.size()))));
            }
        }
        return tests.stream();
    }

    private static String testClassPath() {
        // Surefire may start the JVM through a manifest-only jar; this property holds the real class path.
        String classPath = System.getProperty("surefire.test.class.path");
        return classPath != null && !classPath.isBlank() ? classPath : System.getProperty("java.class.path");
    }

    private static void compileAndRun(Program program, String className, Path dir) throws Exception {
        Block block = program.block();
        assertThat(block.text()).as("%s: a documented program has a public class", block.where())
                .containsPattern(PUBLIC_CLASS);
        assertThat(block.text()).as("%s: a documented program has a main method", block.where())
                .contains("public static void main(String[] args)");
        Files.createDirectories(dir);
        Path source = dir.resolve(className + ".java");
        Files.writeString(source, block.text(), StandardCharsets.UTF_8);
        compile(block, source, dir);
        run(program, className, dir);
    }

    private static void compile(Block block, Path source, Path dir) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK (javac) to compile the documented programs").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(output, files, diagnostics,
                    List.of("--release", "17", "-proc:none", "-Xlint:all,-classfile", "-Werror", "-d", dir.toString(),
                            "-classpath", testClassPath()),
                    null, files.getJavaFileObjects(source)).call();
            if (!compiled || !diagnostics.getDiagnostics().isEmpty()) {
                StringBuilder report = new StringBuilder(block.where() + " does not compile cleanly:\n");
                for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
                    long line = diagnostic.getLineNumber() < 0 ? -1 : block.firstLine() + diagnostic.getLineNumber() - 1;
                    report.append("  ").append(block.file().getFileName()).append(':').append(line).append(": ")
                            .append(diagnostic.getKind()).append(": ").append(diagnostic.getMessage(Locale.ROOT))
                            .append('\n');
                }
                fail(report.append(output).toString());
            }
        }
    }

    private static void run(Program program, String className, Path dir) throws Exception {
        Block block = program.block();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(java.toString(), "-cp", dir + File.pathSeparator + testClassPath(),
                className)
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            process.getOutputStream().close(); // no standard input
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail(block.where() + ": " + className + " did not end within " + RUN_TIMEOUT_SECONDS
                        + " s (a thread left running?)\n" + read(stdout) + read(stderr));
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String out = read(stdout);
        String err = read(stderr);
        assertThat(process.exitValue()).as("%s: %s exit status; stdout:%n%s%nstderr:%n%s", block.where(), className,
                out, err).isZero();
        // Log lines are fine (a program may show what jgql logs); a stack trace means something failed.
        assertThat(err).as("%s: %s printed a stack trace", block.where(), className)
                .doesNotContainPattern("(?m)^\\s+at |Exception in thread");
        if (program.expectedOutput() != null) {
            assertThat(out).as("%s: %s's output, as the block after it says", block.where(), className)
                    .isEqualTo(program.expectedOutput());
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n")
                : "";
    }
}
