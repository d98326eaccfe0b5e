package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgql.testkit.FakeScheduler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spinner on fake time: after one second, with the elapsed time, erased when done. */
class SpinnerTest {
    private final FakeScheduler time = new FakeScheduler();
    private final StringWriter screen = new StringWriter();
    private final PrintWriter out = new PrintWriter(screen);

    @AfterEach
    void stopTime() {
        time.shutdownNow();
    }

    @Test
    void appearsAfterOneSecondShowsTheElapsedTimeAndIsErasedAtTheEnd() {
        Spinner spinner = Spinner.start(true, out, time, time.clock(), "waiting for host");

        time.advance(Duration.ofMillis(999));
        assertThat(screen.toString()).isEmpty();

        time.advance(Duration.ofMillis(1));
        assertThat(screen.toString()).isEqualTo("\r| waiting for host 1.0s\u001b[K");

        time.advance(Duration.ofMillis(250));
        assertThat(screen.toString()).endsWith("\r- waiting for host 1.2s\u001b[K");

        spinner.close();
        assertThat(screen.toString()).endsWith("\r\u001b[2K");
        int length = screen.toString().length();
        time.advance(Duration.ofSeconds(5));
        assertThat(screen.toString()).hasSize(length);
        assertThat(time.pendingTaskCount()).isZero();
    }

    @Test
    void aQuickAnswerLeavesNoTrace() {
        Spinner spinner = Spinner.start(true, out, time, time.clock(), "waiting");
        time.advance(Duration.ofMillis(500));

        spinner.close();
        time.advance(Duration.ofSeconds(2));

        assertThat(screen.toString()).isEmpty();
    }

    @Test
    void offWhenNotOnATerminal() {
        Spinner spinner = Spinner.start(false, out, time, time.clock(), "waiting");

        time.advance(Duration.ofSeconds(3));
        spinner.close();

        assertThat(screen.toString()).isEmpty();
        assertThat(time.pendingTaskCount()).isZero();
    }
}
