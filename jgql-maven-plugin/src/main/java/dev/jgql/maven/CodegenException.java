package dev.jgql.maven;

import java.util.List;

/**
 * What is wrong with the inputs of a generation: every problem found, each as one line that starts
 * with where it is ({@code file:line:column}) or names the schema type at fault.
 */
final class CodegenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    CodegenException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    CodegenException(String problem) {
        this(List.of(problem));
    }

    /** @return one line per problem */
    List<String> problems() {
        return problems;
    }
}
