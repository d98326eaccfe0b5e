package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jline.reader.EOFError;
import org.jline.reader.Parser.ParseContext;
import org.junit.jupiter.api.Test;

/** When Enter runs the document and when it continues it on the next line. */
class DocumentParserTest {

    @Test
    void aDocumentIsCompleteWhenItsBracketsClose() {
        assertThat(DocumentParser.missing("{ a }")).isEmpty();
        assertThat(DocumentParser.missing("query {")).isEqualTo("}");
        assertThat(DocumentParser.missing("query($a: [ID!")).isEqualTo("])");
        assertThat(DocumentParser.missing("{ a(x: [1, {b: 2}]) { c } }")).isEmpty();
        assertThat(DocumentParser.missing("}")).as("extra closing brackets: the GraphQL parser reports them").isEmpty();
    }

    @Test
    void bracketsInStringsBlockStringsAndCommentsDoNotCount() {
        assertThat(DocumentParser.missing("{ a(s: \"{ \\\" (\") }")).isEmpty();
        assertThat(DocumentParser.missing("{ a(s: \"\"\" { \\\"\"\" \n ( \"\"\") }")).isEmpty();
        assertThat(DocumentParser.missing("{ a # don't { count this\n }")).isEmpty();
        assertThat(DocumentParser.missing("{ a(s: \"\"\" open")).isEqualTo("\"\"\"");
    }

    @Test
    void jlineIsToldToContinueAnIncompleteDocumentButNotACommand() {
        DocumentParser parser = new DocumentParser();

        assertThatThrownBy(() -> parser.parse("query {", 7, ParseContext.ACCEPT_LINE))
                .isInstanceOf(EOFError.class)
                .satisfies(e -> assertThat(((EOFError) e).getMissing()).isEqualTo("}"));
        assertThat(parser.parse("{ a }", 5, ParseContext.ACCEPT_LINE).line()).isEqualTo("{ a }");
        assertThat(parser.parse("\\set x:{", 8, ParseContext.ACCEPT_LINE).line()).isEqualTo("\\set x:{");
        assertThat(parser.parse("query {", 7, ParseContext.COMPLETE).line()).isEqualTo("query {");
        assertThat(parser.parse("{ a(x: 1 }\n", 11, ParseContext.ACCEPT_LINE).line())
                .as("an empty line runs an unbalanced document, to get its syntax error").isEqualTo("{ a(x: 1 }\n");
    }
}
