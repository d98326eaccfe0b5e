package dev.jgql.bench;

import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ChaosProxy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The other side of a {@link Soak} run, in its own JVM so that the soak's heap, threads and file
 * descriptors are the client's alone: the countries backend behind a chaos proxy, driven by one
 * command per line on standard input, each answered by one line on standard output.
 *
 * <pre>
 * READY &lt;proxy port&gt;                      printed once both listen
 * pass | refuse | blackhole               the proxy's mode             -> OK
 * kill                                    resets every open connection -> OK
 * random &lt;probability&gt; &lt;seed&gt; | stopkill  random resets per chunk       -> OK
 * applied &lt;requestId&gt;                     times the mutation was applied -> APPLIED n
 * ledger                                  -> LEDGER counter distinctIds duplicatedIds connections
 * quit                                    closes both and exits
 * </pre>
 */
public final class SoakBackend {
    private SoakBackend() {
    }

    public static void main(String[] args) throws Exception {
        try (CountriesServer backend = CountriesServer.start(0); ChaosProxy proxy = ChaosProxy.start(backend.port())) {
            System.out.println("READY " + proxy.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] words = line.trim().split(" ");
                String answer;
                try {
                    answer = switch (words[0]) {
                        case "pass" -> mode(proxy, ChaosProxy.Mode.PASS);
                        case "refuse" -> mode(proxy, ChaosProxy.Mode.REFUSE);
                        case "blackhole" -> mode(proxy, ChaosProxy.Mode.BLACKHOLE);
                        case "kill" -> {
                            proxy.killAll();
                            yield "OK";
                        }
                        case "random" -> {
                            proxy.killRandomly(Double.parseDouble(words[1]), Long.parseLong(words[2]));
                            yield "OK";
                        }
                        case "stopkill" -> {
                            proxy.stopKilling();
                            yield "OK";
                        }
                        case "applied" -> "APPLIED " + backend.timesApplied(words[1]);
                        case "ledger" -> ledger(backend, proxy);
                        default -> "ERROR unknown command " + words[0];
                    };
                } catch (RuntimeException e) {
                    answer = "ERROR " + e;
                }
                System.out.println(answer);
                System.out.flush();
            }
        }
        System.exit(0);
    }

    private static String mode(ChaosProxy proxy, ChaosProxy.Mode mode) {
        proxy.mode(mode);
        return "OK";
    }

    private static String ledger(CountriesServer backend, ChaosProxy proxy) {
        Map<String, Integer> applied = backend.appliedRequestIds();
        long duplicated = applied.values().stream().filter(times -> times > 1).count();
        return "LEDGER " + backend.counter() + " " + applied.size() + " " + duplicated + " " + proxy.totalConnections();
    }
}
