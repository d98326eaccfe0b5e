package dev.jgql.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the JMH JSON results of an interleaved run ({@code ROUNDS=3 jgql-bench/run-benchmarks.sh}) and prints, per
 * JDK, one table of medians over the rounds with their ratios to the raw JDK client, then the comparisons the
 * engine targets are stated in: Vert.x engine vs SmallRye, WebSocket on Vert.x vs on the JDK engine, what the
 * pipeline costs a caller above the engine's own round trip, and allocation per call when {@code -prof gc} ran.
 *
 * <pre>
 * java -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.BenchSummary jgql-bench/target/results/interleaved
 * </pre>
 */
public final class BenchSummary {
    private static final String[] COLUMNS = {"small/throughput1", "small/throughput", "large/throughput1", "large/throughput"};
    private static final String[] HEADINGS = {"small, 1 caller", "small, 64 callers", "large, 1 caller", "large, 64 callers"};

    /** jdk → "size/method" → client → scores of the rounds. */
    private final Map<String, Map<String, Map<String, List<Double>>>> scores = new TreeMap<>();
    /** jdk → "size" → client → bytes allocated per operation. */
    private final Map<String, Map<String, Map<String, List<Double>>>> allocation = new TreeMap<>();

    private BenchSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("Usage: BenchSummary DIRECTORY_OR_JSON...");
            System.exit(2);
        }
        BenchSummary summary = new BenchSummary();
        ObjectMapper mapper = new ObjectMapper();
        for (String arg : args) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(Path.of(arg))) {
                files = walk.filter(path -> path.toString().endsWith(".json")).sorted().toList();
            }
            for (Path file : files) {
                JsonNode results = mapper.readTree(file.toFile());
                if (results != null && results.isArray()) {
                    results.forEach(summary::add);
                }
            }
        }
        summary.print();
    }

    private void add(JsonNode result) {
        String benchmark = result.path("benchmark").asText();
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String jdk = result.path("jdkVersion").asText("?") + " (" + result.path("vmName").asText("") + ")";
        JsonNode params = result.path("params");
        String client = params.path("client").asText("smallrye");
        String size = params.path("size").asText("?");
        double score = result.path("primaryMetric").path("score").asDouble(Double.NaN);
        JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
        // A run under -prof gc measures allocation; its throughput, slowed by the profiler, is left out.
        if (method.startsWith("throughput") && alloc.isMissingNode()) {
            scores.computeIfAbsent(jdk, k -> new TreeMap<>()).computeIfAbsent(size + "/" + method, k -> new TreeMap<>())
                    .computeIfAbsent(client, k -> new ArrayList<>()).add(score);
        }
        if (!alloc.isMissingNode() && method.equals("throughput1")) {
            allocation.computeIfAbsent(jdk, k -> new TreeMap<>()).computeIfAbsent(size, k -> new TreeMap<>())
                    .computeIfAbsent(client, k -> new ArrayList<>()).add(alloc.path("score").asDouble());
        }
    }

    private static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private void print() {
        for (String jdk : scores.keySet()) {
            Map<String, Map<String, List<Double>>> byColumn = scores.get(jdk);
            System.out.println("## JDK " + jdk);
            System.out.println();
            System.out.println("Throughput in operations per second: median of " + rounds(byColumn)
                    + " interleaved rounds, and ratio to the raw JDK client of the same round set.");
            System.out.println();
            StringBuilder header = new StringBuilder("| client |");
            StringBuilder rule = new StringBuilder("| --- |");
            for (String heading : HEADINGS) {
                header.append(' ').append(heading).append(" | ×raw |");
                rule.append(" ---: | ---: |");
            }
            System.out.println(header);
            System.out.println(rule);
            for (String client : clients(byColumn)) {
                StringBuilder row = new StringBuilder("| ").append(client).append(" |");
                for (String column : COLUMNS) {
                    double value = median(byColumn.getOrDefault(column, Map.of()).get(client));
                    double raw = median(byColumn.getOrDefault(column, Map.of()).get("raw"));
                    row.append(' ').append(format(value, "%.0f")).append(" | ").append(format(value / raw, "%.2f")).append(" |");
                }
                System.out.println(row);
            }
            System.out.println();
            ratioLine(byColumn, "jgqlVertx", "smallrye", "Vert.x engine ÷ SmallRye (both on Netty)");
            ratioLine(byColumn, "jgqlVertxWs", "jgqlWs", "WebSocket on Vert.x ÷ WebSocket on the JDK engine");
            ratioLine(byColumn, "jgqlListener", "jgql", "jgql with a do-nothing event listener ÷ jgql without");
            // raw does the same synchronous send on the caller's thread as jgql's blocking view: the floor under
            // the pipeline (jgqlEngine hands the exchange to the engine's threads, so it is no floor for that).
            overhead(byColumn, "jgql", "raw");
            System.out.println();
            Map<String, Map<String, List<Double>>> alloc = allocation.get(jdk);
            if (alloc != null) {
                System.out.println("Allocation per call, one caller (`-prof gc`, gc.alloc.rate.norm), bytes:");
                System.out.println();
                System.out.println("| client | small | small − raw | large | large − raw |");
                System.out.println("| --- | ---: | ---: | ---: | ---: |");
                for (String client : clients(alloc)) {
                    double small = median(alloc.getOrDefault("small", Map.of()).get(client));
                    double large = median(alloc.getOrDefault("large", Map.of()).get(client));
                    double rawSmall = median(alloc.getOrDefault("small", Map.of()).get("raw"));
                    double rawLarge = median(alloc.getOrDefault("large", Map.of()).get("raw"));
                    System.out.println("| " + client + " | " + format(small, "%.0f") + " | " + format(small - rawSmall, "%+.0f")
                            + " | " + format(large, "%.0f") + " | " + format(large - rawLarge, "%+.0f") + " |");
                }
                System.out.println();
            }
        }
    }

    private static int rounds(Map<String, Map<String, List<Double>>> byColumn) {
        return byColumn.values().stream().flatMap(clients -> clients.values().stream())
                .mapToInt(List::size).max().orElse(0);
    }

    private static List<String> clients(Map<String, Map<String, List<Double>>> byColumn) {
        List<String> order = List.of("raw", "jgql", "jgqlEngine", "jgqlListener", "jgqlVertx", "smallrye", "jgqlWs",
                "jgqlVertxWs", "springSync", "springAsync");
        List<String> present = new ArrayList<>();
        for (String client : order) {
            if (byColumn.values().stream().anyMatch(clients -> clients.containsKey(client))) {
                present.add(client);
            }
        }
        byColumn.values().forEach(clients -> clients.keySet().stream().filter(c -> !present.contains(c)).forEach(present::add));
        return present;
    }

    private static void ratioLine(Map<String, Map<String, List<Double>>> byColumn, String client, String base, String what) {
        StringBuilder line = new StringBuilder("- ").append(what).append(':');
        boolean any = false;
        for (int i = 0; i < COLUMNS.length; i++) {
            double value = median(byColumn.getOrDefault(COLUMNS[i], Map.of()).get(client));
            double reference = median(byColumn.getOrDefault(COLUMNS[i], Map.of()).get(base));
            if (!Double.isNaN(value) && !Double.isNaN(reference)) {
                line.append(' ').append(HEADINGS[i]).append(' ').append(format(value / reference, "%.2f")).append(';');
                any = true;
            }
        }
        if (any) {
            System.out.println(line.substring(0, line.length() - 1));
        }
    }

    /** Microseconds per call that {@code client} spends above {@code floor}, for one caller (1e6 / throughput). */
    private static void overhead(Map<String, Map<String, List<Double>>> byColumn, String client, String floor) {
        StringBuilder line = new StringBuilder("- ").append(client).append(" above the ").append(floor)
                .append(" client's round trip, one caller (medians):");
        boolean any = false;
        for (String size : new String[] {"small", "large"}) {
            double value = median(byColumn.getOrDefault(size + "/throughput1", Map.of()).get(client));
            double reference = median(byColumn.getOrDefault(size + "/throughput1", Map.of()).get(floor));
            if (!Double.isNaN(value) && !Double.isNaN(reference)) {
                line.append(' ').append(size).append(' ').append(format(1e6 / value - 1e6 / reference, "%+.1f")).append(" µs;");
                any = true;
            }
        }
        if (any) {
            System.out.println(line.substring(0, line.length() - 1));
        }
    }

    private static String format(double value, String pattern) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "–" : String.format(Locale.ROOT, pattern, value);
    }
}
