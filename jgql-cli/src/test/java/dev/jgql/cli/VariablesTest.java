package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariablesTest {
    private static final String DOCUMENT = "query Q($id: ID!, $s: String, $n: Int, $l: [Int], $o: Filter) { a }";
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> warnings = new ArrayList<>();

    @TempDir
    Path files;

    private Map<String, Object> resolve(Path file, String... arguments) {
        return Variables.resolve(DOCUMENT, null, file, List.of(arguments), mapper, warnings::add);
    }

    @Test
    void valuesAreJsonWhenTheyParseElseText() {
        assertThat(resolve(null, "n:3", "l:[1,2]", "o:{\"a\":true}", "x:EU", "y:null", "z:1.5"))
                .containsEntry("n", 3).containsEntry("l", List.of(1, 2)).containsEntry("o", Map.of("a", true))
                .containsEntry("x", "EU").containsEntry("y", null).containsEntry("z", 1.5);
    }

    @Test
    void stringAndIdVariablesTakeTheTextUnlessItIsAQuotedJsonString() {
        assertThat(resolve(null, "id:42", "s:true", "n:42")).containsEntry("id", "42").containsEntry("s", "true")
                .containsEntry("n", 42);
        assertThat(resolve(null, "s:\"quoted\"", "id:a:b")).containsEntry("s", "quoted").containsEntry("id", "a:b");
    }

    @Test
    void undeclaredVariablesAreSentWithAWarningOrLeftOutInInteractiveMode() {
        assertThat(resolve(null, "extra:1")).containsEntry("extra", 1);
        assertThat(warnings).containsExactly("the operation declares no variable $extra; it is sent anyway");

        assertThat(Variables.resolve(DOCUMENT, "Q", null, List.of("extra:1", "n:2"), mapper, null))
                .isEqualTo(Map.of("n", 2));
    }

    @Test
    void theFileIsTheBaseAndArgumentsGoOnTop() throws Exception {
        Path file = Files.writeString(files.resolve("v.json"), "{\"n\": 1, \"s\": \"from file\"}");

        assertThat(resolve(file, "n:2")).isEqualTo(Map.of("n", 2, "s", "from file"));
    }

    @Test
    void badArgumentsAndFilesAreUsageErrors() throws Exception {
        Path notJson = Files.writeString(files.resolve("bad.json"), "{\"n\": ");
        Path notObject = Files.writeString(files.resolve("list.json"), "[1]");

        assertThatThrownBy(() -> resolve(null, "novalue")).isInstanceOf(UsageException.class).hasMessageContaining("-V name:value");
        assertThatThrownBy(() -> resolve(null, "1x:2")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> resolve(notJson)).isInstanceOf(UsageException.class).hasMessageContaining("not valid JSON")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> resolve(notObject)).isInstanceOf(UsageException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> resolve(files.resolve("absent.json"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("no such file");
    }
}
