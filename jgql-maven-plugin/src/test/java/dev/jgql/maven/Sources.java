package dev.jgql.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Test inputs from the class path, and javac for the generated code. */
final class Sources {
    private Sources() {
    }

    static String resource(String name) {
        try (InputStream in = Sources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("No resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded backend's SDL, from the jgql-countries jar. */
    static String countriesSchema() {
        return resource("/dev/jgql/countries/schema.graphqls");
    }

    static CodeGenerator.Source source(String path, String text) {
        return new CodeGenerator.Source(path, text);
    }

    /**
     * Compiles the sources with {@code -Xlint:all -Werror} on the tests' class path and loads them.
     *
     * @throws AssertionError with javac's diagnostics if it warns or fails
     */
    static ClassLoader compile(Map<String, String> sources, Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        List<File> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toFile());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:all", "-Werror",
                    "-classpath", classPath(), "-d", classes.toString());
            boolean compiled = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromFiles(files)).call();
            String report = diagnostics.getDiagnostics().stream()
                    .map(Sources::describe).collect(Collectors.joining("\n"));
            assertThat(report).as("javac's diagnostics").isEmpty();
            assertThat(compiled).as("javac succeeded").isTrue();
        }
        return new URLClassLoader(new URL[] {url(classes)}, Sources.class.getClassLoader());
    }

    private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
        return diagnostic.getKind() + " " + (diagnostic.getSource() == null ? "" : diagnostic.getSource().getName())
                + ":" + diagnostic.getLineNumber() + ": " + diagnostic.getMessage(null);
    }

    /** Surefire runs the tests from a manifest-only jar: the real class path is in this property. */
    private static String classPath() {
        String classPath = System.getProperty("surefire.test.class.path");
        if (classPath == null || classPath.isBlank()) {
            classPath = System.getProperty("java.class.path");
        }
        // Entries that do not exist would be javac "path" warnings about the environment, not the code.
        return Stream.of(classPath.split(File.pathSeparator)).filter(entry -> new File(entry).exists())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
