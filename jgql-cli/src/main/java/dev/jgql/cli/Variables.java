package dev.jgql.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.Document;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The variables of a run: a JSON file ({@code --variables-file}), then each {@code -V name:value}
 * on top. A value is JSON when it parses as JSON ({@code 3}, {@code true}, {@code [1,2]},
 * {@code {"a":1}}), else a string, as in gql-cli; and when the operation declares the variable as
 * {@code String} or {@code ID}, the value is always the text itself ({@code -V code:42} sends
 * {@code "42"}), unless it is a quoted JSON string.
 */
final class Variables {
    private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");
    private static final Set<String> TEXT_TYPES = Set.of("String", "ID");

    private Variables() {
    }

    /**
     * @param document      the document, already known to be valid GraphQL
     * @param operationName the operation to run, or {@code null} for the only one
     * @param warnings      told of variables the operation does not declare, which are sent anyway;
     *                      {@code null} to leave them out instead (interactive mode, where the same
     *                      variables serve every document)
     * @throws UsageException for a malformed argument or an unreadable or non-object file
     */
    static Map<String, Object> resolve(String document, String operationName, Path file, List<String> arguments,
            ObjectMapper mapper, Consumer<String> warnings) {
        Map<String, Object> variables = new LinkedHashMap<>();
        Map<String, Type<?>> declared = declaredTypes(document, operationName);
        if (file != null) {
            readFile(file, mapper).forEach((name, value) -> {
                if (warnings != null || declared.containsKey(name)) {
                    variables.put(name, value);
                }
            });
        }
        for (String argument : arguments) {
            int colon = argument.indexOf(':');
            String name = colon < 0 ? argument : argument.substring(0, colon);
            if (colon < 0 || !NAME.matcher(name).matches()) {
                throw new UsageException("A variable is -V name:value (the value JSON or text), not '" + argument + "'");
            }
            Type<?> type = declared.get(name);
            if (type == null && warnings == null) {
                continue;
            }
            if (type == null) {
                warnings.accept("the operation declares no variable $" + name + "; it is sent anyway");
            }
            variables.put(name, value(argument.substring(colon + 1), type, mapper));
        }
        return variables;
    }

    private static Object value(String text, Type<?> type, ObjectMapper mapper) {
        boolean textType = namedType(type).filter(TEXT_TYPES::contains).isPresent();
        if (textType && !text.strip().startsWith("\"")) {
            return text;
        }
        try {
            return mapper.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text; // not JSON: gql-cli's rule, the text is the value
        }
    }

    private static Optional<String> namedType(Type<?> type) {
        Type<?> inner = type instanceof NonNullType nonNull ? nonNull.getType() : type;
        return inner instanceof TypeName name ? Optional.of(name.getName()) : Optional.empty();
    }

    private static Map<String, Type<?>> declaredTypes(String document, String operationName) {
        Document parsed = Parser.parse(document);
        Map<String, Type<?>> types = new LinkedHashMap<>();
        parsed.getDefinitionsOfType(OperationDefinition.class).stream()
                .filter(operation -> operationName == null || operationName.equals(operation.getName()))
                .findFirst()
                .ifPresent(operation -> {
                    for (VariableDefinition definition : operation.getVariableDefinitions()) {
                        types.put(definition.getName(), definition.getType());
                    }
                });
        return types;
    }

    private static Map<String, Object> readFile(Path file, ObjectMapper mapper) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("Cannot read the variables file " + file + ": " + Failures.describeIo(e), e);
        }
        try {
            Object value = mapper.readValue(text, Object.class);
            if (!(value instanceof Map)) {
                throw new UsageException("The variables file " + file + " must hold a JSON object, like {\"code\": \"EU\"}");
            }
            return mapper.convertValue(value, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new UsageException("The variables file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
    }
}
