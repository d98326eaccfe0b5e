package dev.jgql.cli;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;

/**
 * Tells JLine when a GraphQL document is complete: Enter inside an open {@code {}, {@code (} or
 * {@code [}, or inside a string, continues on the next line (multi-line editing); Enter after the
 * last closing brace runs the document. Brackets inside strings, block strings and comments do not
 * count. An empty line runs the document as it is, so that a document with a stray bracket gets
 * its syntax error instead of waiting for more. A line starting with a backslash is a command and
 * always complete.
 */
final class DocumentParser implements Parser {
    private final DefaultParser words = new DefaultParser();

    DocumentParser() {
        // GraphQL text is not shell text: apostrophes in comments and backslashes in strings are not quotes or escapes.
        words.setQuoteChars(new char[0]);
        words.setEscapeChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
        if (context == ParseContext.ACCEPT_LINE && !line.strip().startsWith("\\") && !endsWithEmptyLine(line)) {
            String missing = missing(line);
            if (!missing.isEmpty()) {
                throw new EOFError(-1, cursor, "incomplete document", missing);
            }
        }
        return words.parse(line, cursor, context);
    }

    private static boolean endsWithEmptyLine(String text) {
        int lastNewline = text.lastIndexOf('\n');
        return lastNewline >= 0 && text.substring(lastNewline + 1).isBlank();
    }

    /** What the document still needs to be complete (closing brackets or quotes), empty when complete. */
    static String missing(String text) {
        StringBuilder open = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("\"\"\"", i)) {
                int end = blockStringEnd(text, i + 3);
                if (end < 0) {
                    return "\"\"\"";
                }
                i = end + 3;
                continue;
            }
            if (c == '"') {
                int end = stringEnd(text, i + 1);
                if (end < 0) {
                    return "\"";
                }
                i = end + 1;
                continue;
            }
            if (c == '#') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end + 1;
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                open.append(c);
            } else if ((c == '}' || c == ')' || c == ']') && open.length() > 0) {
                open.setLength(open.length() - 1);
            }
            i++;
        }
        StringBuilder closing = new StringBuilder();
        for (int j = open.length() - 1; j >= 0; j--) {
            char bracket = open.charAt(j);
            closing.append(bracket == '{' ? '}' : bracket == '(' ? ')' : ']');
        }
        return closing.toString();
    }

    private static int stringEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            } else if (c == '\n') {
                return i; // a plain string cannot span lines: let the GraphQL parser report it
            }
        }
        return -1;
    }

    private static int blockStringEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.startsWith("\\\"\"\"", i)) {
                i += 3;
            } else if (text.startsWith("\"\"\"", i)) {
                return i;
            }
        }
        return -1;
    }
}
