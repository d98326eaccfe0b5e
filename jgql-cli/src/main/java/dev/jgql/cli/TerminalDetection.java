package dev.jgql.cli;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Which of the process's standard streams are terminals, asked of JLine's providers: the JNI one
 * (isatty), else the exec one (which runs {@code test -t}). Java 17's {@code System.console()}
 * cannot tell, because it needs stdin and stdout both to be terminals. When no provider works,
 * nothing is a terminal: the output is then plain, which is always safe.
 */
final class TerminalDetection {
    private TerminalDetection() {
    }

    /** {@code [stdin, stdout, stderr]}: whether each is a terminal. */
    static boolean[] systemStreams() {
        for (String name : new String[] {"jni", "exec"}) {
            try {
                TerminalProvider provider = TerminalProvider.load(name);
                return new boolean[] {
                    provider.isSystemStream(SystemStream.Input),
                    provider.isSystemStream(SystemStream.Output),
                    provider.isSystemStream(SystemStream.Error)};
            } catch (Throwable unavailable) { // a missing native library is a LinkageError: try the next provider
                continue;
            }
        }
        return new boolean[3];
    }
}
