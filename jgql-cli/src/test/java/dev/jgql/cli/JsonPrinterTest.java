package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPrinterTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Object> value = value();

    private static Map<String, Object> value() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "Ελλάδα \"quoted\"\n\u0001");
        value.put("n", 1.5);
        value.put("ok", true);
        value.put("none", null);
        value.put("list", Arrays.asList(1, null));
        value.put("empty", Map.of());
        value.put("nothing", List.of());
        return value;
    }

    @Test
    void compactIsOneLineOfValidJson() throws Exception {
        String text = new JsonPrinter(mapper, false, false).format(value);

        assertThat(text).isEqualTo("{\"name\":\"Ελλάδα \\\"quoted\\\"\\n\\u0001\",\"n\":1.5,\"ok\":true,\"none\":null,"
                + "\"list\":[1,null],\"empty\":{},\"nothing\":[]}");
        assertThat(mapper.readValue(text, new TypeReference<Map<String, Object>>() { })).isEqualTo(value);
    }

    @Test
    void prettyIndentsByTwo() throws Exception {
        String text = new JsonPrinter(mapper, true, false).format(Map.of("a", List.of(1, Map.of("b", "c"))));

        assertThat(text).isEqualTo("{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    }\n  ]\n}");
    }

    @Test
    void coloursKeysStringsNumbersLiteralsAndNull() {
        String text = new JsonPrinter(mapper, false, true).format(Arrays.asList(Map.of("k", "v"), 2, false, null));

        assertThat(text).isEqualTo("[{\u001b[1;34m\"k\"\u001b[0m:\u001b[32m\"v\"\u001b[0m},\u001b[36m2\u001b[0m,"
                + "\u001b[33mfalse\u001b[0m,\u001b[90mnull\u001b[0m]");
        assertThat(text.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo("[{\"k\":\"v\"},2,false,null]");
    }
}
