package dev.jgql.internal;

import java.util.List;

/** Paths into result data as people write them: field names joined by dots, list indexes in brackets. */
public final class ResultPaths {
    private ResultPaths() {
    }

    /**
     * @param segments field names (strings) and list indexes (integers)
     * @return e.g. {@code continent.countries[0].name}; {@code (data)} for the empty path
     */
    public static String text(List<?> segments) {
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer) {
                text.append('[').append(segment).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(segment);
            }
        }
        return text.length() == 0 ? "(data)" : text.toString();
    }
}
