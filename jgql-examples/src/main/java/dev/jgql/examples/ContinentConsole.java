package dev.jgql.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The seed console example's {@code main} loop: asks for continent codes and prints their names through
 * one permanent session, until {@code exit} or the end of input.
 */
public final class ContinentConsole {
    /** The continent codes the console accepts, as in the seed. */
    public static final List<String> CONTINENT_CODES = List.of("AF", "AN", "AS", "EU", "NA", "OC", "SA");

    static final String PROMPT = "\nPlease enter a continent code or 'exit':";

    private ContinentConsole() {
    }

    /**
     * Runs the prompt loop on a connected client. A failed query is reported and the loop goes on, as in
     * the seed; the end of input ends it like {@code exit}.
     *
     * @throws IOException if reading the input fails
     */
    public static void run(GraphQLContinentClient continentClient, BufferedReader in, PrintStream out)
            throws IOException {
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null) { // end of input (Ctrl-D, or a pipe that ran dry): as "exit"
                out.println();
                break;
            }
            String answer = line.strip();
            if (answer.equals("exit")) {
                break;
            } else if (CONTINENT_CODES.contains(answer)) {
                try {
                    String continentName = continentClient.getContinentName(answer);
                    out.println("The continent name is " + continentName + "\n");
                } catch (RuntimeException exc) {
                    out.println("Received exception " + describe(exc) + " while trying to get continent name");
                }
            } else {
                out.println("Please enter a valid continent code from " + pythonList(CONTINENT_CODES));
            }
        }
    }

    /** A list of strings as Python prints one, as the seed does: {@code ['AF', 'AN']}. */
    static String pythonList(List<String> items) {
        return items.stream().map(item -> "'" + item + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    /** What Python's {@code f"{exc}"} shows: the message, or the type when there is none. */
    static String describe(Throwable exc) {
        String message = exc.getMessage();
        return message == null || message.isBlank() ? exc.getClass().getSimpleName() : message;
    }
}
